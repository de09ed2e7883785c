#pragma once
// Uploads that run as jobs: the decision and the submission (what a job does
// is the service's, service/job_work.h). Internal to http.
#include <string>

#include <nlohmann/json.hpp>

#include "http/server/http_types.h"
#include "http/api/service_state.h"
#include "service/analysis_request.h"

namespace soundlens::http {

// Opens the job store (PostgreSQL with config.database, else SQLite in config.data_dir) and starts
// the runner (config.job_workers threads; by default one per analysis slot).
void start_jobs(ServiceState& state);
// The upload's `async` field: 1/true or 0/false (anything else: Error(bad_request)).
bool wants_async(const Request& request);
// Stores the upload and its typed request as a job: 202 {job} with Location /api/v1/jobs/{id}.
Response submit_analysis_job(ServiceState& state, const Request& request);
// The same for an upload whose audio is charged already (`seconds` of `charge` go to the job).
Response submit_analysis_job(ServiceState& state, const Request& request, AudioCharge& charge, double seconds);
// The same with the job's request given (a comparison's, with its models) instead of read from the form.
Response submit_analysis_job(ServiceState& state, const Request& request, const service::AnalysisRequest& asked,
                             AudioCharge& charge, double seconds);
// The same for one uploaded part of the request (a batch's files): the stored, queued job.
// The request's other form fields, read as an AnalysisRequest, are the job's parameters. Refused past the
// disk budget (507) and the user's quota (429 quota_exceeded); the caller's
// audio budget is charged with the length the container states (429 rate_limited).
JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file);
// The same when the audio is charged already: `seconds` of `charge` go to the job.
JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file, AudioCharge& charge,
                     double seconds);
JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file,
                     const service::AnalysisRequest& asked, AudioCharge& charge, double seconds);
// What one user may hold in the job queue (the settings of config).
JobQuota job_quota(const ServiceConfig& config);
nlohmann::json job_json(const JobRecord& job);

}  // namespace soundlens::http
