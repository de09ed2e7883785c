#pragma once
// Handlers grouped by concern; each adds its operations to the map that the
// server binds to route_table(). Internal to http.
#include <map>
#include <string>

#include "http/server/http_types.h"
#include "http/api/service_state.h"
#include "service/stored_json.h"

namespace soundlens::http {

using HandlerMap = std::map<std::string, Handler>;

// The JSON of stored analyses and the options they were run with (service/stored_json.h), read by most routes.
using service::stored_analysis_json;
using service::stored_event_options;
using service::stored_options;
using service::stored_summary_json;
using service::stored_top_class;

void add_analysis_routes(ServiceState& state, HandlerMap& handlers);     // create, list, get, delete
void add_media_routes(ServiceState& state, HandlerMap& handlers);        // audio, figure, explanation, spectrogram
void add_export_routes(ServiceState& state, HandlerMap& handlers);       // events.csv, raven.txt, labels.txt
void add_report_route(ServiceState& state, HandlerMap& handlers);        // report.pdf
void add_service_routes(ServiceState& state, HandlerMap& handlers);      // health, models, openapi, docs
void add_seed_route(ServiceState& state, HandlerMap& handlers);          // POST /analyze_audio
void add_web_routes(ServiceState& state, HandlerMap& handlers);          // the static web app
void add_job_routes(ServiceState& state, HandlerMap& handlers);          // jobs: get, events (SSE), cancel, list
void add_audit_routes(ServiceState& state, HandlerMap& handlers);        // GET /api/v1/audit
void add_compare_routes(ServiceState& state, HandlerMap& handlers);      // GET /api/v1/compare
// add_batch_routes: http/batch_routes.h
void add_review_routes(ServiceState& state, HandlerMap& handlers);       // PATCH .../events/{event_index}
void add_reviewed_clips_route(ServiceState& state, HandlerMap& handlers);  // GET .../reviewed-clips.zip
void add_session_routes(ServiceState& state, HandlerMap& handlers);      // web sign-in: POST/GET/DELETE /api/v1/session

}  // namespace soundlens::http
