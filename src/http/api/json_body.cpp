#include "http/api/json_body.h"

#include "core/error.h"

namespace soundlens::http {

nlohmann::json json_object_body(const std::string& body, std::string_view example) {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body);  // rejects NaN, Infinity, numbers beyond double and bad UTF-8
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorCode::bad_request, "the body is not valid JSON (reading stopped at byte " +
                                            std::to_string(e.byte) + "): send an object such as " +
                                            std::string(example));
  } catch (const nlohmann::json::out_of_range&) {  // 1e999: JSON's grammar allows it, a double does not
    throw Error(ErrorCode::bad_request, "the body is not valid JSON (a number is beyond what a double holds): "
                                        "send an object such as " + std::string(example));
  }
  if (!parsed.is_object())
    throw Error(ErrorCode::bad_request, "the body must be a JSON object such as " + std::string(example));
  return parsed;
}

}  // namespace soundlens::http
