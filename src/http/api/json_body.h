#pragma once
// A request body that must be one JSON object (a review, a note, a sign-in).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace soundlens::http {

// The body as a JSON object, or bad_request saying what is wrong with it: not JSON at all (with the
// byte where reading stopped: a number too large, NaN, ill-formed UTF-8, a missing brace), or JSON
// but not an object. `example` shows the caller's expected shape, e.g. {"status": "confirmed"}.
nlohmann::json json_object_body(const std::string& body, std::string_view example);

}  // namespace soundlens::http
