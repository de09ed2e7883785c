#pragma once
// The HTTP server: registers the route table with the HTTP library (kept out
// of this header), applies the Host check, CORS, size limits, timeouts,
// security headers and the request log, and funnels every failure into the
// JSON error shape.
#include <cstddef>
#include <map>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/server/http_types.h"
#include "http/server/request_log.h"

namespace soundlens::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8000;                      // 0 = the OS chooses
  std::size_t max_body_bytes = 100u << 20;    // the whole body, multipart envelope included
  std::size_t max_upload_bytes = 100u << 20;  // the upload limit as configured (named in messages)
  int read_timeout_s = 60;              // one read
  int write_timeout_s = 60;             // one write
  int request_timeout_s = 120;          // a request's line, headers and body, from its first byte
  int header_timeout_s = 10;            // its line and headers, from its first byte
  int keep_alive_timeout_s = 5;         // an idle connection is closed after this
  int max_connections = 512;            // open at once; idle ones make room first
  int worker_threads = 16;              // requests served at once (probes have their own two)
  // Request bodies (see guarded_server.h): the slowest average rate after a grace period (0 = none);
  // the bytes held in memory at once, server-wide, and per request; the workers that read the others.
  std::size_t min_body_bytes_per_s = 1024;
  int body_rate_grace_s = 10;
  std::size_t body_memory_bytes = 256u << 20;
  std::size_t max_buffered_body_bytes = 32u << 20;
  int body_streams = 4;
  std::string cors_origins;             // see CorsPolicy
  std::string allowed_hosts;            // see HostAllowList; empty = bind address and loopback names
  LogFormat log_format = LogFormat::json;
};

struct RegisteredRoute {
  std::string method;
  std::string path;  // the route table's template, e.g. /api/v1/analyses/{id}
};

// Checks a request from its head alone, before any of its body is read: the
// access rule of the route (by operation id) for a request that carries only
// its line and headers (no parts, no body). Returns the refusal, if any.
using HeadCheck = std::function<std::optional<Response>(const std::string& operation_id, const Request& head)>;

class HttpServer {
 public:
  // Serves `routes` (the API's are http/api/route_table.h), one handler per
  // operation id; throws Error(internal) when a route has no handler or a
  // handler has no route. `head_check` (optional) refuses requests with a
  // body before the body is read.
  HttpServer(ServerOptions options, std::vector<RouteSpec> routes, std::map<std::string, Handler> handlers,
             HeadCheck head_check = {});
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
