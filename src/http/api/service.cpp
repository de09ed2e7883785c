#include "http/api/service.h"

#include <iostream>

#include "core/error.h"
#include "http/api/access.h"
#include "http/api/batch_routes.h"
#include "http/api/job_routes.h"
#include "http/api/live_routes.h"
#include "http/api/route_table.h"
#include "http/api/routes.h"
#include "http/api/service_state.h"

namespace soundlens::http {

ServerOptions server_options_for(const ServiceConfig& config) {
  ServerOptions options;
  options.max_body_bytes = config.max_upload_bytes + (1u << 20);
  options.max_upload_bytes = config.max_upload_bytes;
  options.worker_threads = config.max_concurrent + config.queue_size + config.explain_slots +
                           config.explain_queue_size + 8 + config.max_event_streams +
                           3 * config.max_live_sessions;  // each: its event stream, a chunk and a stop
  return options;
}

Service::Service(ServiceConfig config, std::shared_ptr<AnalysisStore> store, std::shared_ptr<AuthStore> auth_store)
    : state_(std::make_shared<ServiceState>(std::move(config), std::move(store), std::move(auth_store))) {
  if (state_->config.auth == auth::AuthMode::required && !state_->auth_store)
    throw Error(ErrorCode::internal, "authentication is required but there is no store of users and keys");
  if (!state_->config.data_dir.empty() || !state_->config.database.empty()) {
    start_jobs(*state_);
    start_batches(*state_);
  }
  if (state_->auth_store && !state_->config.database.empty())
    state_->sessions = open_postgres_session_store(state_->config.database);
  else if (state_->auth_store && !state_->config.data_dir.empty())
    state_->sessions = open_sqlite_session_store(state_->config.data_dir);
  start_live_sessions(*state_);
  if (state_->config.retention_days > 0) {
    state_->retention = std::make_unique<service::RetentionTask>(state_->store, state_->job_store,
                                                                 state_->config.retention_days, std::cerr);
    state_->retention->start(std::chrono::hours(1));  // a run at start, then hourly
  }
}

Service::~Service() { shutdown(); }

void Service::set_analyzer(std::shared_ptr<const Analyzer> analyzer) {
  const bool first = !state_->model_ready();
  state_->set_analyzer(std::move(analyzer));
  if (first && state_->jobs) state_->jobs->recover();
}

void Service::shutdown() {
  state_->live_shutdown = true;  // live event streams end; open sessions end unstored with the process
  if (state_->retention) state_->retention->stop();
  if (state_->jobs) state_->jobs->shutdown();
}

HeadCheck Service::head_check() {
  if (state_->config.auth != auth::AuthMode::required) return {};  // nothing to check: no key, no session
  return [state = state_](const std::string& operation_id, const Request& head) -> std::optional<Response> {
    for (const auto& route : route_table())
      if (route.operation_id == operation_id) return check_access_early(*state, route, head);
    return std::nullopt;
  };
}

std::map<std::string, Handler> Service::handlers() {
  HandlerMap handlers;
  add_service_routes(*state_, handlers);
  add_analysis_routes(*state_, handlers);
  add_review_routes(*state_, handlers);
  add_reviewed_clips_route(*state_, handlers);
  add_media_routes(*state_, handlers);
  add_export_routes(*state_, handlers);
  add_report_route(*state_, handlers);
  add_seed_route(*state_, handlers);
  add_job_routes(*state_, handlers);
  add_batch_routes(*state_, handlers);
  add_compare_routes(*state_, handlers);
  add_web_routes(*state_, handlers);
  add_audit_routes(*state_, handlers);
  add_session_routes(*state_, handlers);
  add_live_routes(*state_, handlers);
  // Access is checked here, once for every route as the route table declares
  // it, so that no handler can forget it. The handlers keep the shared state
  // alive even if the Service goes first.
  for (auto& [name, handler] : handlers) {
    const RouteSpec* route = nullptr;
    for (const auto& r : route_table())
      if (r.operation_id == name) route = &r;
    if (!route) continue;  // the server refuses a handler without a route
    handler = [state = state_, inner = std::move(handler), route](const Request& r) {
      return call_with_access(*state, *route, inner, r);
    };
  }
  return handlers;
}

}  // namespace soundlens::http
