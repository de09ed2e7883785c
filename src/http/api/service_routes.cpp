// /health, /api/v1/models, /openapi.json and the Swagger UI at /docs.
#include <iostream>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "http/server/content_types.h"
#include "http/server/error_status.h"
#include "http/api/openapi.h"
#include "http/api/routes.h"
#include "core/build_info.h"
#include "http/server/security_headers.h"
#include "model/model_facts.h"
#include "model/model_registry.h"
#include "analysis_events/fused_analysis.h"
#include "service/fused_model.h"

namespace soundlens::http {
namespace {
namespace fs = std::filesystem;

// What the transport says of its load, and what of it is full: every worker
// busy (a new request waits), every connection taken (a new one gets 503),
// the memory for request bodies spent and every body stream busy (a large
// upload gets 503).
nlohmann::json server_load_json(const ServerLoad& load) {
  auto full = nlohmann::json::array();
  if (load.workers_busy >= load.workers) full.push_back("workers");
  if (load.connections >= load.max_connections) full.push_back("connections");
  if (load.body_bytes * 10 >= load.body_bytes_limit * 9) full.push_back("body_memory");
  if (load.body_streams_busy >= load.body_streams) full.push_back("body_streams");
  return {{"workers", load.workers},
          {"workers_busy", load.workers_busy},
          {"requests_waiting", load.requests_waiting},
          {"connections", load.connections},
          {"max_connections", load.max_connections},
          {"bodies_in_memory", load.bodies_in_memory},
          {"body_bytes", load.body_bytes},
          {"body_bytes_limit", load.body_bytes_limit},
          {"body_streams", load.body_streams},
          {"body_streams_busy", load.body_streams_busy},
          {"full", full}};
}

Response health(ServiceState& state, const Request& request) {
  const bool ready = state.model_ready();
  nlohmann::json body = {{"status", ready ? "ok" : "loading"},
                         {"model_loaded", ready},
                         {"model", state.config.model_name},
                         {"version", state.config.version},
                         {"commit", build_commit()},
                         {"max_upload_bytes", state.config.max_upload_bytes},
                         {"max_duration_s", state.config.max_duration_s},
                         {"auth", std::string(auth::auth_mode_name(state.config.auth))},
                         {"store_audio", state.config.store_audio},
                         {"retention_days", state.config.retention_days},
                         {"redact_speech", state.config.redact_speech},
                         {"sign_in", state.config.auth == auth::AuthMode::required && state.sessions != nullptr},
                         {"calibration", state.pipeline->models().calibration(state.config.model_name)}};
  // Still 200 when busy: a probe that restarts a busy server would help the one who keeps it busy.
  if (request.server_load) {
    body["server"] = server_load_json(request.server_load());
    if (ready && !body["server"]["full"].empty()) body["status"] = "busy";
  }
  if (!ready) {
    body.update(error_body(ErrorCode::model_not_loaded, "model " + state.config.model_name + " is still loading"));
    Response response = Response::json(503, body);
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  return Response::json(200, body);
}

Response models(ServiceState& state) {
  auto list = nlohmann::json::array();
  for (const auto& info : known_models()) {
    nlohmann::json model = model_facts_json(info, find_model(info.name, state.config.model_search_path));
    model["loaded"] = state.pipeline->models().loaded(info.name);
    model["calibration"] = state.pipeline->models().calibration(info.name);
    list.push_back(std::move(model));
  }
  auto fused = service::fused_model_facts_json(state.config.model_search_path,
                                               state.pipeline->models().loaded(std::string(kFusedModelName)),
                                               state.config.model_name);
  fused["calibration"] = nullptr;  // its parts run uncalibrated
  list.push_back(std::move(fused));
  for (const auto& name : state.pipeline->models().trained_names()) {
    try {
      const auto info = trained_model_facts(name, state.config.model_search_path);
      nlohmann::json model = model_facts_json(info, find_model(name, state.config.model_search_path));
      model["loaded"] = state.pipeline->models().loaded(name);
      model["labels"] = info.class_names;
      model["calibration"] = state.pipeline->models().calibration(name);
      list.push_back(std::move(model));
    } catch (const Error& e) {  // a damaged directory is left out of the list, and said in the log
      std::cerr << "soundlens: the trained model " << name << " is not offered: " << e.what() << std::endl;
    }
  }
  return Response::json(200, {{"models", list}, {"loaded", state.config.model_name}});
}

Response openapi(ServiceState& state) {
  return Response::json(200, openapi_document(route_table(), state.config.version));
}

Response docs_page(ServiceState& state) {
  if (!fs::exists(fs::path(state.config.docs_dir) / "swagger-ui-bundle.js"))
    throw Error(ErrorCode::not_found,
                "the API docs page is not installed on this server (swagger-ui-dist, see --docs-dir); the document "
                "itself is at /openapi.json");
  Response page = Response::bytes("text/html; charset=utf-8", R"html(<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>soundlens API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
  </script>
</body>
</html>
)html");
  page.headers.emplace_back("Content-Security-Policy", page_content_security_policy(inline_script_hashes(page.body)));
  return page;
}

Response docs_asset(ServiceState& state, const Request& request) {
  const std::string& name = request.path_params.at("asset");
  // Only plain file names directly in the docs folder: no traversal.
  const bool plain = !name.empty() && name.front() != '.' && name.find('/') == std::string::npos &&
                     name.find('\\') == std::string::npos;
  const fs::path path = fs::path(state.config.docs_dir) / name;
  if (!plain || !fs::is_regular_file(path)) throw Error(ErrorCode::not_found, "no docs file " + quoted_value(name));
  Response response;
  response.content_type = file_content_type(name);
  response.file_path = path.string();
  response.headers.emplace_back("Cache-Control", "public, max-age=86400");
  return response;
}

}  // namespace

void add_service_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["health"] = [&state](const Request& r) { return health(state, r); };
  handlers["listModels"] = [&state](const Request&) { return models(state); };
  handlers["openapi"] = [&state](const Request&) { return openapi(state); };
  handlers["docs"] = [&state](const Request&) { return docs_page(state); };
  handlers["docsAsset"] = [&state](const Request& r) { return docs_asset(state, r); };
}

}  // namespace soundlens::http
