#pragma once
// The HTTP server: registers the route table with the HTTP library (kept out
// of this header), applies CORS, size limits, timeouts and the request log,
// and funnels every failure into the JSON error shape.
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/http_types.h"
#include "http/request_log.h"

namespace soundlens::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8000;                      // 0 = the OS chooses
  std::size_t max_body_bytes = 100u << 20;
  int read_timeout_s = 60;
  int write_timeout_s = 60;
  int worker_threads = 16;              // connections served at once
  std::string cors_origins;             // see CorsPolicy
  LogFormat log_format = LogFormat::json;
};

struct RegisteredRoute {
  std::string method;
  std::string path;  // the route table's template, e.g. /api/v1/analyses/{id}
};

class HttpServer {
 public:
  // One handler per operation id of route_table(); throws Error(internal)
  // when a route has no handler or a handler has no route.
  HttpServer(ServerOptions options, std::map<std::string, Handler> handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int bind();   // returns the port (the chosen one when options.port == 0)
  void run();   // serves until stop(); requests in flight are finished first
  void stop();  // safe from any thread, also before run(), which then returns at once
  const std::vector<RegisteredRoute>& registered_routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace soundlens::http
