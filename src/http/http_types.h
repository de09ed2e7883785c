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

#include "auth/roles.h"

namespace soundlens::http {

struct UploadedPart {
  std::string filename;      // empty for plain form fields
  std::string_view content;  // valid while the handler runs
};

struct Request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> path_params;
  std::map<std::string, std::string> query;
  std::multimap<std::string, UploadedPart> parts;  // multipart/form-data, in order (a batch sends several `file`)
  std::string body;                            // PATCH, and POST of application/json: the body as sent
  std::string content_type;                    // the Content-Type header, as sent
  std::optional<std::string> authorization;    // the Authorization header, as sent
  std::string cookie;                          // the Cookie header, as sent ("" = none)
  std::optional<std::string> csrf_token;       // the X-CSRF-Token header, as sent
  std::string remote_addr;                     // the client's address (the peer of the connection)
  // Who sent it, once a key was checked; nullopt when authentication is off.
  std::optional<auth::Caller> caller;

  // A query parameter, or else a multipart form field of that name.
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
