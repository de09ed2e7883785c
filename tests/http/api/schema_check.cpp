#include "schema_check.h"

#include <algorithm>
#include <cmath>

namespace soundlens::test {
namespace {
using nlohmann::json;

const json& resolve(const json& schema, const json& document) {
  if (!schema.contains("$ref")) return schema;
  const std::string ref = schema["$ref"];
  const std::string prefix = "#/components/schemas/";
  if (ref.rfind(prefix, 0) != 0 || !document["components"]["schemas"].contains(ref.substr(prefix.size())))
    throw std::runtime_error("unresolvable $ref " + ref);
  return resolve(document["components"]["schemas"][ref.substr(prefix.size())], document);
}

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "number") return value.is_number();
  if (type == "integer")
    return value.is_number_integer() || (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
  throw std::runtime_error("unknown schema type " + type);
}

void check(const json& value, const json& raw_schema, const json& document, const std::string& path,
           std::vector<std::string>& out) {
  const json& schema = resolve(raw_schema, document);
  const auto fail = [&](const std::string& why) { out.push_back(path + ": " + why); };
  if (value.is_null()) {
    if (!schema.value("nullable", false)) fail("null where the schema does not say nullable");
    return;
  }
  for (const auto& part : schema.value("allOf", json::array())) check(value, part, document, path, out);
  if (schema.contains("oneOf")) {
    int matches = 0;
    std::string reasons;
    for (const auto& option : schema["oneOf"]) {
      std::vector<std::string> sub;
      check(value, option, document, path, sub);
      if (sub.empty()) ++matches;
      else reasons += " [" + sub.front() + (sub.size() > 1 ? " ..." : "") + "]";
    }
    if (matches != 1) fail("matches " + std::to_string(matches) + " of the oneOf schemas, not one:" + reasons);
    return;
  }
  if (schema.contains("type") && !has_type(value, schema["type"])) {
    fail("is " + std::string(value.type_name()) + ", the schema says " + schema["type"].get<std::string>());
    return;
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
    fail(value.dump() + " is not among " + schema["enum"].dump());
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) fail("below the minimum");
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) fail("above the maximum");
  }
  if (value.is_string()) {
    const auto size = value.get<std::string>().size();
    if (schema.contains("maxLength") && size > schema["maxLength"].get<std::size_t>()) fail("longer than maxLength");
    if (schema.contains("minLength") && size < schema["minLength"].get<std::size_t>()) fail("shorter than minLength");
  }
  if (value.is_array()) {
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<std::size_t>()) fail("more than maxItems");
    if (schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i)
        check(value[i], schema["items"], document, path + "[" + std::to_string(i) + "]", out);
  }
  if (value.is_object()) {
    const json properties = schema.value("properties", json::object());
    for (const auto& name : schema.value("required", json::array()))
      if (!value.contains(name.get<std::string>())) fail("required field " + name.get<std::string>() + " missing");
    for (const auto& [name, item] : value.items()) {
      if (properties.contains(name)) {
        check(item, properties[name], document, path + "." + name, out);
      } else if (schema.contains("additionalProperties")) {
        const json& extra = schema["additionalProperties"];
        if (extra.is_boolean()) {
          if (!extra.get<bool>()) fail("field " + name + " is not declared (additionalProperties: false)");
        } else {
          check(item, extra, document, path + "." + name, out);
        }
      }
    }
  }
}

}  // namespace

std::vector<std::string> schema_violations(const json& value, const json& schema, const json& document) {
  std::vector<std::string> out;
  check(value, schema, document, "$", out);
  return out;
}

}  // namespace soundlens::test
