#pragma once
// Our own request and response types: routes never see the HTTP library.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/server/route_spec.h"
#include "auth/roles.h"

namespace soundlens::http {

struct UploadedPart {
  std::string filename;      // empty for plain form fields
  std::string_view content;  // valid while the handler runs
};

// How full the server is, as its transport sees it (for /health): the
// workers that serve requests, open connections, and request bodies being
// read (in memory by the connection reactor, or by workers as they stream).
struct ServerLoad {
  int workers = 0, workers_busy = 0;
  std::size_t requests_waiting = 0;  // complete requests waiting for a worker
  std::size_t connections = 0, max_connections = 0;
  std::size_t bodies_in_memory = 0, body_bytes = 0, body_bytes_limit = 0;
  int body_streams = 0, body_streams_busy = 0;
};

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> path_params;
  std::multimap<std::string, std::string> query;  // as sent: a name given twice is there twice
  std::multimap<std::string, UploadedPart> parts;  // multipart/form-data, in order (a batch sends several `file`)
  std::string body;                            // PATCH, and POST of application/json: the body as sent
  std::string content_type;                    // the Content-Type header, as sent
  std::optional<std::string> authorization;    // the Authorization header, as sent
  std::string cookie;                          // the Cookie header, as sent ("" = none)
  std::optional<std::string> csrf_token;       // the X-CSRF-Token header, as sent
  std::string remote_addr;                     // the client's address (the peer of the connection)
  int connection_fd = -1;                      // its socket, watched for a hang-up during long work (-1: none)
  // Who sent it, once a key was checked; nullopt when authentication is off.
  std::optional<auth::Caller> caller;
  // The server's load at this moment, when the server can tell (it can; a test's hand-made request cannot).
  std::function<ServerLoad()> server_load;

  // The route it was matched to (route_spec.h), set by the server. param() then
  // answers only names the route declares (another is a handler's bug: 500),
  // so what a handler reads and what /openapi.json says cannot drift apart.
  const RouteSpec* route = nullptr;
  std::string operation_id() const { return route ? route->operation_id : std::string(); }
  // The names param() was asked for, in order: a test checks that each
  // declared parameter is read by its handler.
  mutable std::vector<std::string> params_read;

  // A query parameter, or else a multipart form field of that name. One given
  // more than once (twice in the query, twice as a field, or in both) is a
  // bad_request: which of the values was meant cannot be known.
  std::optional<std::string> param(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is this file, streamed; Range requests are honoured.
  std::optional<std::string> file_path;
  // When set, the body is produced while it is sent (chunked, never compressed;
  // e.g. Server-Sent Events): the function calls `write` per piece and returns
  // when the body is complete; `write` returns false once the client is gone.
  std::function<void(const std::function<bool(const std::string&)>& write)> stream;
  std::string analysis_id;  // for the request log and the audit log

  static Response json(int status, const nlohmann::json& body);
  static Response bytes(std::string content_type, std::string body);
};

using Handler = std::function<Response(const Request&)>;

}  // namespace soundlens::http
