#include "http/server/route_spec.h"

namespace soundlens::http {

const RouteParameter* declared_parameter(const RouteSpec& route, std::string_view name) {
  for (const auto& p : route.parameters)
    if ((p.in == "query" || p.in == "form") && p.name == name) return &p;
  return nullptr;
}

std::string openapi_path(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.compare(i, 4, "...}") == 0) {
      out += '}';
      i += 3;
    } else {
      out += path[i];
    }
  }
  return out;
}

std::vector<std::string> path_parameter_names(const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
    if (name.ends_with("...")) name.resize(name.size() - 3);
    names.push_back(name);
  }
  return names;
}

}  // namespace soundlens::http
