#include "core/error.h"

namespace soundlens {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::unsupported_format: return "unsupported_format";
    case ErrorCode::empty_audio: return "empty_audio";
    case ErrorCode::silent_audio: return "silent_audio";
    case ErrorCode::too_short: return "too_short";
    case ErrorCode::too_long: return "too_long";
    case ErrorCode::too_many_windows: return "too_many_windows";
    case ErrorCode::invalid_samples: return "invalid_samples";
    case ErrorCode::model_not_loaded: return "model_not_loaded";
    case ErrorCode::busy: return "busy";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace soundlens
