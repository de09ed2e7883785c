#include "http/server/request_log.h"

#include <cstdio>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace soundlens::http {

LogFormat parse_log_format(const std::string& name) {
  if (name == "json") return LogFormat::json;
  if (name == "text") return LogFormat::text;
  if (name == "off") return LogFormat::off;
  throw Error(ErrorCode::bad_request, "unknown log format: " + name);
}

namespace {

// The path is decoded from the URL: a %0a in it must not start a new line in
// the log, nor a %20 make it look like more fields. Control characters,
// spaces, backslashes and DEL are written as \xNN.
std::string escaped(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_log_line(LogFormat format, const RequestLogEntry& e) {
  const double ms = double(long(e.ms * 10 + 0.5)) / 10;
  if (format == LogFormat::json) {
    nlohmann::json line = {{"event", "request"}, {"method", e.method}, {"path", e.path},
                           {"status", e.status}, {"ms", ms}};
    if (!e.analysis_id.empty()) line["analysis_id"] = e.analysis_id;
    // The path is decoded from the URL and need not be UTF-8 (%E9): replace, never throw in the logger.
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::ostringstream out;
  out << escaped(e.method) << " " << escaped(e.path) << " " << e.status << " " << ms << "ms";
  if (!e.analysis_id.empty()) out << " id=" << escaped(e.analysis_id);
  return out.str();
}

}  // namespace

void write_log_line(LogFormat format, const RequestLogEntry& entry) {
  if (format == LogFormat::off) return;
  const std::string line = format_log_line(format, entry) + "\n";
  static std::mutex mutex;  // whole lines, never interleaved
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace soundlens::http
