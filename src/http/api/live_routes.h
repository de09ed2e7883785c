#pragma once
// Live sessions over HTTP (issue 23): create, chunks in, Server-Sent Events out, stop into a stored
// analysis. The sessions themselves are the service's (service/live_sessions.h). Internal to http.
#include "http/api/routes.h"

namespace soundlens::http {

// The sessions of this server, within its limits (called once, by the Service).
void start_live_sessions(ServiceState& state);
void add_live_routes(ServiceState& state, HandlerMap& handlers);

}  // namespace soundlens::http
