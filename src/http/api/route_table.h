#pragma once
// Every route of the service as data. The server registers exactly these,
// binding each operation id to its handler, and /openapi.json is generated
// from the same table, so the two cannot drift apart.
#include <string_view>
#include <vector>

#include "http/server/route_spec.h"

namespace soundlens::http {

const std::vector<RouteSpec>& route_table();
// The route of an operation id; Error(internal) for one the table lacks.
const RouteSpec& route_spec(std::string_view operation_id);

}  // namespace soundlens::http
