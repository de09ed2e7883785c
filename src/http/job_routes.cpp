// Jobs: POST /api/v1/analyses as a job, GET/DELETE /api/v1/jobs/{id}, its SSE stream, the list.
#include "http/job_routes.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "analysis_events/analysis_events.h"
#include "auth/roles.h"
#include "core/error.h"
#include "http/access.h"
#include "http/analysis_record.h"
#include "http/disk_budget.h"
#include "http/request_params.h"
#include "http/routes.h"

namespace soundlens::http {
namespace {

using namespace std::chrono_literals;

// The overall fraction at the start of each stage of a job, and its share.
struct StageSpan {
  double start, share;
};
StageSpan stage_span(const std::string& stage) {
  if (stage == "windows") return {0.02, 0.43};
  if (stage == "explain") return {0.45, 0.10};
  if (stage == "events") return {0.55, 0.40};
  return {0.95, 0.05};  // store
}

[[noreturn]] void throw_cancelled() { throw Error(ErrorCode::cancelled, "the job was cancelled"); }

// The form fields of an upload (not the file itself), as stored with the job.
nlohmann::json form_fields(const Request& request) {
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [name, value] : request.query) fields[name] = value;
  for (const auto& [name, part] : request.parts)
    if (name != "file" && name != "async") fields[name] = std::string(part.content);
  return fields;
}

// The request a job's stored fields stand for: the same parsers read them.
Request request_from_fields(const std::string& parameters_json) {
  Request request;
  const auto fields = nlohmann::json::parse(parameters_json);
  for (const auto& [name, value] : fields.items())
    if (value.is_string()) request.query[name] = value.get<std::string>();
  return request;
}

// A slot on the admission gate like any upload; a full queue is waited out, not failed.
void enter_gate(ServiceState& state, JobContext& context, std::optional<AdmissionGate::Ticket>& ticket) {
  for (;;) {
    if (context.stop_requested()) throw_cancelled();
    try {
      ticket.emplace(state.gate.enter());
      return;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::busy) throw;
    }
    std::this_thread::sleep_for(250ms);
  }
}

// The upload's model (`model`, else the default), once the default is loaded.
std::shared_ptr<const Analyzer> wait_for_model(ServiceState& state, JobContext& context, const Request& fields) {
  while (!state.model_ready()) {
    if (context.stop_requested()) throw_cancelled();
    std::this_thread::sleep_for(200ms);
  }
  return state.analyzer(fields.param("model"));
}

// The audit log's "create" of a job's analysis, in the name of whoever submitted the job.
void audit_job_analysis(ServiceState& state, const JobRecord& job, const std::string& analysis_id) {
  AuditRecord record;
  record.user_id = job.owner;
  record.user_name = job.owner_name;
  record.key_id = job.key_id;
  record.action = "create";
  record.analysis_id = analysis_id;
  record.detail = "job " + job.id;
  append_audit(state, record);
}

// What a job does: the synchronous upload's analysis, with progress and cancellation.
std::string run_analysis_job(ServiceState& state, const JobRecord& job, JobContext& context) {
  // It stored its analysis before the process died: done, not run twice.
  if (auto existing = state.job_store->analysis_of_job(job.id)) return *existing;
  const Request fields = request_from_fields(job.parameters_json);
  const auto analyzer = wait_for_model(state, context, fields);
  UploadSettings settings = upload_settings(state, *analyzer, fields);
  // Asked per batch of windows and inside the explanation methods' loops: a cancelled occlusion stops
  // within a batch of passes.
  const CancelToken stop([&context] { return context.stop_requested(); }, "the job was cancelled");
  settings.options.stop = &stop;
  settings.options.progress = [&context](const std::string& stage, double fraction) {
    const StageSpan span = stage_span(stage);
    context.report(stage, span.start + span.share * fraction);
  };
  const std::vector<std::uint8_t> upload = state.job_store->read_upload(job.id);
  const std::string_view bytes(reinterpret_cast<const char*>(upload.data()), upload.size());

  AnalysedUpload analysed;
  {
    std::optional<AdmissionGate::Ticket> ticket;
    enter_gate(state, context, ticket);
    context.report("decode", 0.0);
    // Streamed from the upload's bytes: an overnight recording is never decoded whole.
    analysed = analyse_upload(state, *analyzer, bytes, settings);
  }
  if (context.stop_requested()) throw_cancelled();
  context.report("store", 0.95);
  const std::string id = store_analysis(state, analysed, settings, job.filename, bytes, job.owner, job.id).stored.id;
  audit_job_analysis(state, job, id);
  // Charged at admission with the container's length: what was decoded counts.
  state.job_audio_charges.done(state.rate_limiter, job.id, analysed.analysis.duration_s);
  return id;
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
  const long limit = integer_param(request, "limit", 50, 1, 500);
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
  state.jobs = std::make_shared<JobRunner>(
      state.job_store, threads,
      [&state](const JobRecord& job, JobContext& context) {
        try {
          return run_analysis_job(state, job, context);
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
  if (!state.jobs) throw Error(ErrorCode::bad_request, "this server runs no jobs (it has no data directory)");
  if (file.content.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  if (file.content.size() > state.config.max_upload_bytes)
    throw Error(ErrorCode::too_large,
                "upload larger than the limit of " + std::to_string(state.config.max_upload_bytes >> 20) + " MB");
  check_disk_budget(state.config, file.content.size());
  JobRecord job;
  job.filename = display_filename(file.filename);
  job.parameters_json = form_fields(request).dump();
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

nlohmann::json job_json(const JobRecord& job) {
  const auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
  nlohmann::json out = {{"id", job.id},
                        {"state", job.state},
                        {"stage", or_null(job.stage)},
                        {"progress", job.progress},
                        {"eta_s", job.eta_s ? nlohmann::json(*job.eta_s) : nlohmann::json()},
                        {"analysis_id", or_null(job.analysis_id)},
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
