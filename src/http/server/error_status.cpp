#include "http/server/error_status.h"

#include <iostream>
#include <new>

namespace soundlens::http {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return 400;
    case ErrorCode::not_found: return 404;
    case ErrorCode::too_large: return 413;
    case ErrorCode::unsupported_format: return 415;
    case ErrorCode::empty_audio:
    case ErrorCode::silent_audio:
    case ErrorCode::too_short:
    case ErrorCode::too_long:
    case ErrorCode::too_many_windows:
    case ErrorCode::invalid_samples: return 422;
    case ErrorCode::model_not_loaded:
    case ErrorCode::busy:
    case ErrorCode::timeout: return 503;
    case ErrorCode::cancelled: return 409;
    case ErrorCode::gone: return 410;
    case ErrorCode::speech_remains: return 422;
    case ErrorCode::rate_limited:
    case ErrorCode::quota_exceeded: return 429;
    case ErrorCode::insufficient_storage: return 507;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

ErrorCode error_code_for_status(int status) {
  switch (status) {
    case 404: return ErrorCode::not_found;
    case 413: return ErrorCode::too_large;
    case 415: return ErrorCode::unsupported_format;
    case 429: return ErrorCode::rate_limited;
    case 503: return ErrorCode::busy;
    case 507: return ErrorCode::insufficient_storage;
    default: return status < 500 ? ErrorCode::bad_request : ErrorCode::internal;
  }
}

nlohmann::json error_body(ErrorCode code, const std::string& message) {
  return {{"error", {{"code", error_code_name(code)}, {"message", message}, {"status", http_status(code)}}}};
}

Response error_response(ErrorCode code, const std::string& message, int retry_after_s) {
  Response r = Response::json(http_status(code), error_body(code, message));
  if (retry_after_s > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
  }
  // Tells clients when a retry makes sense, instead of hammering a full queue.
  if (code == ErrorCode::busy) r.headers.emplace_back("Retry-After", "1");
  if (code == ErrorCode::model_not_loaded) r.headers.emplace_back("Retry-After", "5");
  if (code == ErrorCode::timeout) r.headers.emplace_back("Retry-After", "60");
  return r;
}

Response call_safely(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::internal) return error_response(e.code(), e.what(), e.retry_after_s());
    // Internal messages may name server paths (storage, database): the log gets them, the client does not.
    std::cerr << "internal error in " << request.method << " " << request.path << ": " << e.what() << "\n";
    return error_response(ErrorCode::internal, "internal error (details are in the server log)");
  } catch (const std::bad_alloc&) {
    return error_response(ErrorCode::internal, "out of memory");
  } catch (const std::exception& e) {
    // Unexpected: log it with the route, but keep library details out of the reply.
    std::cerr << "internal error in " << request.method << " " << request.path << ": " << e.what() << "\n";
    return error_response(ErrorCode::internal, "internal error");
  } catch (...) {
    return error_response(ErrorCode::internal, "internal error");
  }
}

}  // namespace soundlens::http
