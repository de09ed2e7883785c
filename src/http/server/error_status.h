#pragma once
// The one table from ErrorCode to HTTP status, and the one error body shape:
// {"error": {"code": "...", "message": "...", "status": N}}.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "http/server/http_types.h"

namespace soundlens::http {

int http_status(ErrorCode code);
// The code reported for a status the HTTP library produced itself (404, 413, ...).
ErrorCode error_code_for_status(int status);
nlohmann::json error_body(ErrorCode code, const std::string& message);
Response error_response(ErrorCode code, const std::string& message, int retry_after_s = 0);

// The wrapper around every route: any exception becomes an error response.
Response call_safely(const Handler& handler, const Request& request);

}  // namespace soundlens::http
