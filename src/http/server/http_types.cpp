#include "http/server/http_types.h"

#include "core/error.h"

namespace soundlens::http {

std::optional<std::string> Request::param(const std::string& name) const {
  if (route && !declared_parameter(*route, name))
    throw Error(ErrorCode::internal, "the route " + route->operation_id + " reads the parameter " + name +
                                         " it does not declare (http/api/route_table.cpp)");
  params_read.push_back(name);
  std::size_t fields = 0;
  for (auto [it, end] = parts.equal_range(name); it != end; ++it) fields += it->second.filename.empty();
  if (fields + query.count(name) > 1)
    throw Error(ErrorCode::bad_request, "parameter " + name +
                                            " is given more than once: give it once (a list is one value, comma-separated)");
  if (auto it = query.find(name); it != query.end()) return it->second;
  if (auto it = parts.find(name); it != parts.end() && it->second.filename.empty())
    return std::string(it->second.content);
  return std::nullopt;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  // Text from outside (a file name, a query parameter echoed in an error) may
  // not be valid UTF-8: replace bad bytes rather than throw and lose the reply.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::bytes(std::string content_type, std::string body) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

}  // namespace soundlens::http
