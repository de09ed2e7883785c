// POST /api/v1/live, POST .../{id}/audio, GET .../{id}/events (SSE), POST .../{id}/stop.
#include "http/api/live_routes.h"

#include <chrono>
#include <thread>

#include "auth/roles.h"
#include "core/error.h"
#include "http/api/audio_budget.h"
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
  const auto session = state.live->create(asked, owner);
  nlohmann::json body = session_json(*session);
  body["idle_timeout_s"] = state.live->limits().idle_timeout_s;
  Response response = Response::json(201, body);
  response.headers.emplace_back("Location", "/api/v1/live/" + session->id());
  return response;
}

Response send_audio(ServiceState& state, const Request& request) {
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
                      {"analysis_id", nullptr}};
  // At the server's longest recording the session ends here, stored: nothing heard is lost.
  if (result.full) body["analysis_id"] = state.live->stop(*session, "limit");
  return Response::json(200, body);
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
      if (batch.closed && batch.lines.empty()) return;
      if (state.live_shutdown.load()) return;
    }
  };
  return response;
}

Response stop_session(ServiceState& state, const Request& request) {
  const auto session = session_or_404(state, request);
  const std::string analysis_id = state.live->stop(*session, "stopped");
  Response response = Response::json(200, {{"id", session->id()}, {"analysis_id", analysis_id}, {"heard_s", session->heard_s()}});
  response.analysis_id = analysis_id;
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
  state.live = std::make_unique<service::LiveSessions>(state.pipeline, limits, enter);
}

void add_live_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createLiveSession"] = [&state](const Request& r) { return create_session(state, r); };
  handlers["sendLiveAudio"] = [&state](const Request& r) { return send_audio(state, r); };
  handlers["getLiveEvents"] = [&state](const Request& r) { return live_events(state, r); };
  handlers["stopLiveSession"] = [&state](const Request& r) { return stop_session(state, r); };
}

}  // namespace soundlens::http
