#pragma once
// Checks a JSON value against a schema of an OpenAPI 3.0 document: the part
// of JSON Schema our /openapi.json uses ($ref, allOf, oneOf, type, nullable, enum,
// required, properties, additionalProperties, items, minimum/maximum,
// minLength/maxLength, maxItems). Used to hold every route's real answers to
// the schemas it declares.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace soundlens::test {

// Every way `value` breaks `schema` ("" if none), each naming the JSON path
// ("$.items[0].id: required field missing"). `document` resolves $refs.
std::vector<std::string> schema_violations(const nlohmann::json& value, const nlohmann::json& schema,
                                           const nlohmann::json& document);

}  // namespace soundlens::test
