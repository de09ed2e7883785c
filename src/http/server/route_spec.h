#pragma once
// A route as data: its method, path, parameters with their ranges, responses
// and access rules. The server registers the routes it is given (the API's
// table is http/api/route_table.h) and checks each handler's parameter reads
// against its route's declaration.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soundlens::http {

struct RouteParameter {
  std::string name;
  std::string in;    // "path", "query" or "form" (a multipart field)
  std::string type;  // "string", "integer", "number", "boolean", "file"
  bool required = false;
  std::string description;
  std::string default_value;
  std::optional<double> minimum, maximum;  // numbers: the declared range
  std::vector<std::string> choices;        // strings: the accepted values (empty: any)
};

struct RouteResponse {
  int status = 200;
  std::string description;
  std::string content_type;  // "application/json" (schema by name), "image/png", ...
  std::string schema;        // a schema name in the OpenAPI components; "" = none
};

struct RouteSpec {
  std::string method;        // "GET", "POST", "DELETE"
  // "/api/v1/analyses/{id}": {name} is one path segment; {name...} the rest of the path.
  std::string path;
  std::string operation_id;  // binds the handler
  std::string tag;
  std::string summary;
  std::vector<RouteParameter> parameters;
  std::vector<RouteResponse> responses;
  std::string json_body;     // the schema of an application/json request body; "" = none
  std::string binary_body;   // the media type of a raw request body (application/octet-stream); "" = none
  // Access (applied to every route by the service, not by each handler):
  bool needs_key = false;      // with authentication on: a valid API key (/api/... and /analyze_audio)
  bool writes = false;         // needs a write-scope key (POST, DELETE)
  bool analyses_audio = false; // counts against the key's audio-seconds limit
  bool admin_only = false;     // members get 403
  bool counts_own_requests = false;  // the handler counts it against --rate-limit-rpm itself (live chunks)
  std::string audit_action;    // recorded in the audit log on success ("" = not recorded)
};

// The query parameter or form field `name` the route declares; null when it declares none.
const RouteParameter* declared_parameter(const RouteSpec& route, std::string_view name);

// The path as OpenAPI writes it: "{name...}" -> "{name}".
std::string openapi_path(const std::string& path);
// Names of the path parameters, in order.
std::vector<std::string> path_parameter_names(const std::string& path);

}  // namespace soundlens::http
