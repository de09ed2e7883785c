#pragma once
// What an analysis job does, wherever it runs (a server's job threads or
// `soundlens worker`): its stored AnalysisRequest read back, the model
// waited for, the stored upload analysed as a stream with progress and
// cancellation, the analysis stored and audited in the name of whoever
// submitted the job.
#include <functional>
#include <memory>
#include <string>

#include "jobs/job_runner.h"
#include "service/pipeline.h"
#include "storage/auth_store.h"

namespace soundlens::service {

// What the process running the jobs adds around the work (a server: its
// admission gate and its audio budget); both may be empty.
struct JobWorkHooks {
  // A slot among the analyses running in this process, held while the job
  // analyses (released with the returned handle). It may wait; it must give
  // up with Error(cancelled) once context.stop_requested().
  std::function<std::shared_ptr<void>(JobContext& context)> enter_slot;
  // After the analysis is stored, with the seconds of audio decoded.
  std::function<void(const JobRecord& job, double analysed_s)> stored;
};

// A job's parameters_json for a request (what analysis_job_request reads back).
std::string job_parameters(const AnalysisRequest& request);
// The request a job stored: the versioned typed layout, or the form fields of an older soundlens.
AnalysisRequest analysis_job_request(const JobRecord& job);

// The work of JobRunner for analysis jobs: returns the stored analysis' id.
// `audit`: the users/keys store whose audit log records the job's analysis (may be null).
JobRunner::Work analysis_job_work(std::shared_ptr<const AnalysisPipeline> pipeline, std::shared_ptr<JobStore> jobs,
                                  std::shared_ptr<AuthStore> audit, JobWorkHooks hooks = {});

}  // namespace soundlens::service
