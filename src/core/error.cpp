#include "core/error.h"

#include <algorithm>

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
    case ErrorCode::gone: return "gone";
    case ErrorCode::speech_remains: return "speech_remains";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::quota_exceeded: return "quota_exceeded";
    case ErrorCode::insufficient_storage: return "insufficient_storage";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

std::string quoted_value(std::string_view value) {
  constexpr std::size_t max_bytes = 100;
  static const char* hex = "0123456789abcdef";
  std::size_t shown = std::min(value.size(), max_bytes);
  if (shown < value.size())  // never cut inside a UTF-8 sequence
    while (shown > 0 && (static_cast<unsigned char>(value[shown]) & 0xC0) == 0x80) --shown;
  std::string out = "'";
  for (char c : value.substr(0, shown)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  out += value.size() > max_bytes ? "'... (" + std::to_string(value.size()) + " bytes)" : "'";
  return out;
}

}  // namespace soundlens
