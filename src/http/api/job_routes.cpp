// Jobs: POST /api/v1/analyses as a job, GET/DELETE /api/v1/jobs/{id}, its SSE stream, the list.
#include "http/api/job_routes.h"

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "auth/roles.h"
#include "core/error.h"
#include "http/api/access.h"
#include "http/api/disk_budget.h"
#include "http/api/request_params.h"
#include "http/api/routes.h"
#include "http/api/upload_request.h"
#include "service/job_work.h"

namespace soundlens::http {
namespace {

using namespace std::chrono_literals;

// A slot on the admission gate like any upload, for as long as the job analyses; a full queue is
// waited out, not failed.
std::shared_ptr<void> enter_gate(ServiceState& state, JobContext& context) {
  for (;;) {
    if (context.stop_requested()) throw Error(ErrorCode::cancelled, "the job was cancelled");
    try {
      return std::make_shared<AdmissionGate::Ticket>(state.gate.enter());
    } catch (const Error& e) {
      if (e.code() != ErrorCode::busy) throw;
    }
    std::this_thread::sleep_for(250ms);
  }
}

JobRunner& runner_or_404(ServiceState& state) {
  if (!state.jobs) throw Error(ErrorCode::not_found, "this server runs no jobs (it has no data directory)");
  return *state.jobs;
}

Response job_response(int status, const JobRecord& job) {
  return Response::json(status, {{"job", job_json(job)}});
}

[[noreturn]] void unknown_job(const std::string& id) {
  // The id is echoed only when it looks like one (it may be 10 KB of anything).
  throw Error(ErrorCode::not_found, id.size() == 32 ? "no job with id " + quoted_value(id) : "no such job");
}

// The job, if the caller may see it: another user's job is 404 as if unknown.
JobRecord job_or_404(ServiceState& state, const Request& request) {
  const std::string& id = request.path_params.at("id");
  auto job = runner_or_404(state).get(id);
  if (!job || (request.caller && !auth::may_see(*request.caller, job->owner ? &*job->owner : nullptr)))
    unknown_job(id);
  return *job;
}

Response get_job(ServiceState& state, const Request& request) { return job_response(200, job_or_404(state, request)); }

Response cancel_job(ServiceState& state, const Request& request) {
  const std::string id = job_or_404(state, request).id;
  auto& runner = runner_or_404(state);
  auto job = runner.cancel(id);
  if (!job) unknown_job(id);
  if (job->state == "cancelled") state.job_audio_charges.failed(state.rate_limiter, id);  // never ran: given back
  // A running job stops at its next batch of windows: wait a little for it to say so.
  const auto until = std::chrono::steady_clock::now() + 10s;
  std::uint64_t seen = 0;
  while (!is_final_job_state(job->state) && std::chrono::steady_clock::now() < until) {
    auto snapshot = runner.wait_for_change(id, seen, 500ms);
    if (!snapshot || runner.shutting_down()) break;
    seen = snapshot->version;
    job = snapshot->job;
  }
  return job_response(200, *job);
}

Response list_jobs(ServiceState& state, const Request& request) {
  const long limit = integer_param(request, "limit");
  auto items = nlohmann::json::array();
  // Members list only their own; admins (and everyone with authentication off) all.
  std::optional<std::int64_t> owner;
  if (request.caller && request.caller->role != auth::Role::admin) owner = request.caller->user_id;
  for (const auto& job : runner_or_404(state).recent(int(limit), owner)) items.push_back(job_json(job));
  return Response::json(200, {{"items", items}});
}

// One `data:` event per change of the job (its current state first), a
// comment every 15 s so that proxies and the write timeout see traffic and a
// client that has gone is noticed; ends after a final state.
Response job_events(ServiceState& state, const Request& request) {
  const std::string id = job_or_404(state, request).id;
  if (++state.event_streams > state.config.max_event_streams) {
    --state.event_streams;
    throw Error(ErrorCode::busy, "too many job event streams are open; poll GET /api/v1/jobs/{id} or retry later");
  }
  // Released when the last copy of the stream function is gone (after the response).
  std::shared_ptr<void> slot(nullptr, [&state](void*) { --state.event_streams; });
  Response response;
  response.status = 200;
  response.content_type = "text/event-stream";
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("X-Accel-Buffering", "no");
  response.analysis_id = id;
  response.stream = [&state, id, slot](const std::function<bool(const std::string&)>& write) {
    std::uint64_t seen = 0;
    for (;;) {
      const auto snapshot = state.jobs->wait_for_change(id, seen, 15s);
      if (!snapshot) return;
      if (snapshot->version == seen) {
        if (state.jobs->shutting_down() || !write(": keep-alive\n\n")) return;
        continue;
      }
      seen = snapshot->version;
      if (!write("data: " + job_json(snapshot->job).dump() + "\n\n")) return;
      if (is_final_job_state(snapshot->job.state) || state.jobs->shutting_down()) return;
    }
  };
  return response;
}

}  // namespace

void start_jobs(ServiceState& state) {
  const bool shared = !state.config.database.empty();
  state.job_store = shared ? open_postgres_jobs(state.config.database) : open_sqlite_jobs(state.config.data_dir);
  const int threads = state.config.job_workers >= 0 ? state.config.job_workers : state.config.max_concurrent;
  if (threads == 0 && !shared)
    throw Error(ErrorCode::bad_request, "--workers 0 needs --database: without PostgreSQL no other process runs the jobs");
  JobRunnerOptions options;
  options.lease = std::chrono::milliseconds(std::int64_t(state.config.job_lease_s * 1000));
  service::JobWorkHooks hooks;
  hooks.enter_slot = [&state](JobContext& context) { return enter_gate(state, context); };
  // Charged at admission with the container's length: what was decoded counts.
  hooks.stored = [&state](const JobRecord& job, double analysed_s) {
    state.job_audio_charges.done(state.rate_limiter, job.id, analysed_s);
  };
  auto work = service::analysis_job_work(state.pipeline, state.job_store, state.auth_store, std::move(hooks));
  state.jobs = std::make_shared<JobRunner>(
      state.job_store, threads,
      [&state, work = std::move(work)](const JobRecord& job, JobContext& context) {
        try {
          return work(job, context);
        } catch (...) {
          state.job_audio_charges.failed(state.rate_limiter, job.id);  // no analysis: its audio is given back
          throw;
        }
      },
      options);
}

bool wants_async(const Request& request) {
  const auto value = request.param("async");
  if (!value || value->empty() || *value == "0" || *value == "false") return false;
  if (*value == "1" || *value == "true") return true;
  throw Error(ErrorCode::bad_request, "async must be 0 or 1 (got '" + value->substr(0, 40) + "')");
}

JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file, AudioCharge& charge,
                     double seconds) {
  return submit_job(state, request, file, analysis_request(request), charge, seconds);
}

JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file,
                     const service::AnalysisRequest& asked, AudioCharge& charge, double seconds) {
  if (!state.jobs) throw Error(ErrorCode::bad_request, "this server runs no jobs (it has no data directory)");
  if (file.content.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  if (file.content.size() > state.config.max_upload_bytes)
    throw Error(ErrorCode::too_large,
                "upload larger than the limit of " + std::to_string(state.config.max_upload_bytes >> 20) + " MB");
  check_disk_budget(state.config, file.content.size());
  JobRecord job;
  job.filename = service::display_filename(file.filename);
  // Typed, read back without HTTP, with this server's privacy promised to whoever runs it.
  job.parameters_json = service::job_parameters(state.pipeline->promise(asked));
  if (request.caller) {
    job.owner = request.caller->user_id;
    job.owner_name = request.caller->user_name;
    job.key_id = request.caller->key_id;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(file.content.data());
  // Without authentication (a personal tool on loopback) there is one user and no one to be fair to:
  // the disk budget still holds.
  const JobQuota quota = request.caller ? job_quota(state.config) : JobQuota{};
  const JobRecord stored = state.jobs->submit(std::move(job), {bytes, file.content.size()}, quota);
  charge.hand_to_job(state, stored.id, seconds);
  return stored;
}

JobRecord submit_job(ServiceState& state, const Request& request, const UploadedPart& file) {
  if (!audio_budget_applies(state, request)) {
    AudioCharge none;
    return submit_job(state, request, file, none, 0);
  }
  // The budget is charged now, with the length the container states, not once the job has run.
  const double seconds = upload_duration_s(state, file.content);
  AudioCharge charge = charge_audio_s(state, request, seconds);
  return submit_job(state, request, file, charge, seconds);
}

JobQuota job_quota(const ServiceConfig& config) {
  return {config.max_queued_jobs_per_user, std::uint64_t(config.max_queued_mb_per_user) << 20,
          "--max-queued-jobs-per-user", "--max-queued-mb-per-user"};
}

namespace {
Response job_accepted(const JobRecord& stored) {
  Response response = job_response(202, stored);
  response.headers.emplace_back("Location", "/api/v1/jobs/" + stored.id);
  return response;
}
}  // namespace

Response submit_analysis_job(ServiceState& state, const Request& request) {
  return job_accepted(submit_job(state, request, uploaded_file(request)));
}

Response submit_analysis_job(ServiceState& state, const Request& request, AudioCharge& charge, double seconds) {
  return job_accepted(submit_job(state, request, uploaded_file(request), charge, seconds));
}

Response submit_analysis_job(ServiceState& state, const Request& request, const service::AnalysisRequest& asked,
                             AudioCharge& charge, double seconds) {
  return job_accepted(submit_job(state, request, uploaded_file(request), asked, charge, seconds));
}

nlohmann::json job_json(const JobRecord& job) {
  const auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
  // A comparison's job stored two analyses (job_store.h): the first is its analysis_id, both are compared_ids.
  const std::size_t comma = job.analysis_id.find(',');
  nlohmann::json compared = nullptr;
  if (comma != std::string::npos) compared = {job.analysis_id.substr(0, comma), job.analysis_id.substr(comma + 1)};
  nlohmann::json out = {{"id", job.id},
                        {"state", job.state},
                        {"stage", or_null(job.stage)},
                        {"progress", job.progress},
                        {"eta_s", job.eta_s ? nlohmann::json(*job.eta_s) : nlohmann::json()},
                        {"analysis_id", or_null(job.analysis_id.substr(0, comma))},
                        {"compared_ids", compared},
                        {"error", nullptr},
                        {"filename", job.filename},
                        {"created_at", job.created_at},
                        {"updated_at", job.updated_at}};
  if (!job.error_code.empty()) out["error"] = {{"code", job.error_code}, {"message", job.error_message}};
  return out;
}

void add_job_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getJob"] = [&state](const Request& r) { return get_job(state, r); };
  handlers["getJobEvents"] = [&state](const Request& r) { return job_events(state, r); };
  handlers["cancelJob"] = [&state](const Request& r) { return cancel_job(state, r); };
  handlers["listJobs"] = [&state](const Request& r) { return list_jobs(state, r); };
}

}  // namespace soundlens::http
