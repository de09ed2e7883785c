// POST /api/v1/live, POST .../{id}/audio, GET .../{id}/events (SSE), POST .../{id}/stop.
#include "http/api/live_routes.h"

#include <chrono>
#include <thread>

#include "auth/roles.h"
#include "core/error.h"
#include "http/api/audio_budget.h"
#include "http/api/job_routes.h"
#include "http/api/request_params.h"
#include "http/api/route_table.h"
#include "service/live_chunk.h"
#include "service/live_sessions.h"

namespace soundlens::http {
namespace {

using namespace std::chrono_literals;
using service::LiveSession;

// The session, if the caller may see it (its user, or an admin, as for analyses and jobs): another
// user's is 404 as if unknown.
std::shared_ptr<LiveSession> session_or_404(ServiceState& state, const Request& request) {
  const std::string& id = request.path_params.at("id");
  auto session = state.live->find(id);
  const bool visible =
      session && (!request.caller || auth::may_see(*request.caller, session->owner() ? &*session->owner() : nullptr));
  if (!visible)
    throw Error(ErrorCode::not_found, id.size() == 32 ? "no live session with id " + quoted_value(id)
                                                      : "no such live session");
  return session;
}

// Query parameters the route does not declare are refused by name (a misspelt option is not ignored).
void refuse_undeclared(const Request& request) {
  for (const auto& [name, value] : request.query)
    if (!declared_parameter(*request.route, name))
      throw Error(ErrorCode::bad_request, "unknown parameter " + quoted_value(name) + " for " + request.route->path);
}

nlohmann::json session_json(const LiveSession& s) {
  const auto& r = s.request();
  const int width = service::pcm_sample_bytes(r.format);
  return {{"id", s.id()},
          {"model", s.analyzer().model().info().name},
          {"format", r.format == PcmFormat::s16le ? "s16le" : "f32le"},
          {"rate", r.rate},
          {"window_s", r.settings.window_s},
          {"hop_s", r.settings.hop_s},
          {"max_chunk_bytes", long(service::kMaxLiveChunkS * r.rate) * width},
          {"watched", r.settings.watched}};
}

Response create_session(ServiceState& state, const Request& request) {
  if (request.route) refuse_undeclared(request);
  const auto asked = service::read_live_request([&](const std::string& name) { return request.param(name); });
  state.analyzer();  // 503 until the server's model is ready
  const auto owner = request.caller ? std::optional(request.caller->user_id) : std::nullopt;
  const auto session = request.caller
                           ? state.live->create(asked, owner, request.caller->user_name, request.caller->key_id)
                           : state.live->create(asked, owner);
  nlohmann::json body = session_json(*session);
  body["idle_timeout_s"] = state.live->limits().idle_timeout_s;
  Response response = Response::json(201, body);
  response.headers.emplace_back("Location", "/api/v1/live/" + session->id());
  return response;
}

// A chunk counts against --rate-limit-rpm only beyond its session's allowance (live_session.h:
// kFreeChunkBurst): a session at real time sends its chunks as one request; chunks faster than real
// time, many tiny ones, refused ones (wrong seq) and those for an unknown session count each.
void admit_chunk_request(ServiceState& state, const Request& request) {
  if (!request.caller || request.caller->key_id.empty()) return;
  const auto found = state.live->find(request.path_params.at("id"));
  const bool mine = found && auth::may_see(*request.caller, found->owner() ? &*found->owner() : nullptr);
  if (mine && found->take_free_chunk_request()) return;
  if (const int retry = state.rate_limiter.admit(request.caller->key_id, true); retry > 0)
    throw Error(ErrorCode::rate_limited,
                "this API key's rate limit is reached (--rate-limit-rpm requests, or --rate-limit-audio-s seconds of "
                "audio, per minute; a live session's chunks count once they come faster than real time); retry in " +
                    std::to_string(retry) + " s",
                retry);
}

Response send_audio(ServiceState& state, const Request& request) {
  admit_chunk_request(state, request);
  const auto seq = given_integer(request, "seq");
  const auto session = session_or_404(state, request);
  if (!seq) throw Error(ErrorCode::bad_request, "seq is required: the chunk's sequence number (0, 1, 2, ...)");
  const std::string type = request.content_type.substr(0, request.content_type.find(';'));
  if (type != "application/octet-stream")
    throw Error(ErrorCode::bad_request, "send the chunk as application/octet-stream (raw PCM; got Content-Type " +
                                            quoted_value(request.content_type) + ")");
  const auto& r = session->request();
  const double seconds = double(request.body.size()) / (service::pcm_sample_bytes(r.format) * double(r.rate));
  // Charged as it arrives; a refused chunk is given back (the charge's destructor).
  AudioCharge charge = charge_audio_s(state, request, seconds);
  const service::ChunkResult result = session->push(*seq, request.body);
  charge.keep(seconds);
  nlohmann::json body{{"next_seq", result.next_seq},
                      {"heard_s", result.heard_s},
                      {"windows", result.windows},
                      {"dropped_windows", result.dropped},
                      {"analysis_id", nullptr},
                      {"job_id", nullptr}};
  // At the server's longest recording the session ends here, stored: nothing heard is lost.
  if (result.full) {
    const auto stopped = state.live->stop(*session, "limit");
    if (!stopped.analysis_id.empty()) body["analysis_id"] = stopped.analysis_id;
    if (!stopped.job_id.empty()) body["job_id"] = stopped.job_id;
  }
  return Response::json(200, body);
}

// After the session's own lines, the job storing it: a line per change of the job (its stage and
// progress), then `stored` with the analysis, or `error`.
void follow_job(ServiceState& state, LiveSession& session, const std::function<bool(const std::string&)>& write) {
  std::string job_id;
  {
    std::lock_guard lock(session.store_mutex);
    job_id = session.job_id;
  }
  if (job_id.empty() || !state.jobs) return;
  std::uint64_t seen = 0;
  while (!state.live_shutdown.load() && !state.jobs->shutting_down()) {
    const auto snapshot = state.jobs->wait_for_change(job_id, seen, 15s);
    if (!snapshot) return;
    if (snapshot->version == seen) {
      if (!write(": keep-alive\n\n")) return;
      continue;
    }
    seen = snapshot->version;
    const JobRecord& job = snapshot->job;
    nlohmann::json line{{"type", "job"}, {"job_id", job.id}, {"state", job.state}, {"stage", job.stage},
                        {"progress", job.progress}};
    if (job.state == "done") line = {{"type", "stored"}, {"analysis_id", job.analysis_id}, {"job_id", job.id}};
    else if (is_final_job_state(job.state))
      line = {{"type", "error"}, {"code", job.error_code.empty() ? job.state : job.error_code},
              {"message", job.error_message.empty() ? "the job storing the session was " + job.state : job.error_message},
              {"job_id", job.id}};
    if (!write("data: " + line.dump() + "\n\n")) return;
    if (is_final_job_state(job.state)) return;
  }
}

Response live_events(ServiceState& state, const Request& request) {
  const long after = integer_param(request, "after");
  const auto session = session_or_404(state, request);
  const int limit = 2 * state.config.max_live_sessions;
  if (++state.live_streams > limit) {
    --state.live_streams;
    throw Error(ErrorCode::busy, "too many live event streams are open; retry later", 5);
  }
  std::shared_ptr<void> slot(nullptr, [&state](void*) { --state.live_streams; });
  Response response;
  response.status = 200;
  response.content_type = "text/event-stream";
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("X-Accel-Buffering", "no");
  response.stream = [&state, session, after, slot](const std::function<bool(const std::string&)>& write) {
    long seen = after;
    auto quiet_since = std::chrono::steady_clock::now();
    for (;;) {
      const auto batch = session->lines_after(seen, 1s);
      if (batch.first_kept > seen + 1 && seen > 0 &&
          !write(": " + std::to_string(batch.first_kept - seen - 1) + " lines dropped (the reader was too slow)\n\n"))
        return;
      std::string text;
      for (const auto& [n, line] : batch.lines) {
        text += "id: " + std::to_string(n) + "\ndata: " + line + "\n\n";
        seen = n;
      }
      if (!text.empty()) {
        if (!write(text)) return;
        quiet_since = std::chrono::steady_clock::now();
      } else if (std::chrono::steady_clock::now() - quiet_since > 15s) {
        if (!write(": keep-alive\n\n")) return;  // a client that has gone is noticed
        quiet_since = std::chrono::steady_clock::now();
      }
      if (batch.closed && batch.lines.empty()) {
        follow_job(state, *session, write);
        return;
      }
      if (state.live_shutdown.load()) return;
    }
  };
  return response;
}

Response watch_class(ServiceState& state, const Request& request) {
  const auto name = request.param("class");
  const auto session = session_or_404(state, request);
  if (!name || name->empty()) throw Error(ErrorCode::bad_request, "class is required: the class to watch, by name or index");
  return Response::json(200, {{"watched", session->watch(*name)}});
}

// Returns at once with the job that analyses and stores the session (202; its progress at
// /api/v1/jobs/{job_id} and on the session's event stream), or, on a server without jobs, once the
// analysis is stored (200). Audited when stored, as for a stop by the idle timeout.
Response stop_session(ServiceState& state, const Request& request) {
  const auto session = session_or_404(state, request);
  const auto stopped = state.live->stop(*session, "stopped");
  nlohmann::json body{{"id", session->id()}, {"analysis_id", nullptr}, {"job_id", nullptr}, {"job", nullptr},
                      {"heard_s", session->heard_s()}};
  if (!stopped.analysis_id.empty()) body["analysis_id"] = stopped.analysis_id;
  if (stopped.job_id.empty()) return Response::json(200, body);
  body["job_id"] = stopped.job_id;
  if (const auto job = state.jobs ? state.jobs->get(stopped.job_id) : std::nullopt) {
    body["job"] = job_json(*job);
    if (!job->analysis_id.empty()) body["analysis_id"] = job->analysis_id;
  }
  Response response = Response::json(body["analysis_id"].is_null() ? 202 : 200, body);
  response.headers.emplace_back("Location", "/api/v1/jobs/" + stopped.job_id);
  return response;
}

}  // namespace

void start_live_sessions(ServiceState& state) {
  service::LiveLimits limits;
  limits.max_sessions = state.config.max_live_sessions;
  limits.max_sessions_per_user = state.config.max_live_sessions_per_user;
  limits.idle_timeout_s = state.config.live_idle_timeout_s;
  if (!state.config.data_dir.empty()) limits.work_dir = std::filesystem::path(state.config.data_dir) / "live";
  // A stop analyses in a slot like any upload; a full queue is waited out (what was heard is not given up).
  auto enter = [&state]() -> std::shared_ptr<void> {
    for (;;) {
      try {
        return std::make_shared<AdmissionGate::Ticket>(state.gate.enter());
      } catch (const Error& e) {
        if (e.code() != ErrorCode::busy) throw;
      }
      std::this_thread::sleep_for(250ms);
    }
  };
  service::LiveStorage storage;
  storage.jobs = state.jobs;  // with a data directory: the stop returns at once, the analysis is a job
  storage.audit = state.auth_store;
  storage.enter_slot = enter;
  state.live = std::make_unique<service::LiveSessions>(state.pipeline, limits, storage);
}

void add_live_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createLiveSession"] = [&state](const Request& r) { return create_session(state, r); };
  handlers["sendLiveAudio"] = [&state](const Request& r) { return send_audio(state, r); };
  handlers["getLiveEvents"] = [&state](const Request& r) { return live_events(state, r); };
  handlers["stopLiveSession"] = [&state](const Request& r) { return stop_session(state, r); };
  handlers["watchLiveClass"] = [&state](const Request& r) { return watch_class(state, r); };
}

}  // namespace soundlens::http
