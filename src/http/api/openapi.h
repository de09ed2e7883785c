#pragma once
// The OpenAPI 3 document, generated from the route table.
#include <nlohmann/json.hpp>

#include "http/api/route_table.h"

namespace soundlens::http {

nlohmann::json openapi_document(const std::vector<RouteSpec>& routes, const std::string& version);

}  // namespace soundlens::http
