#include "http/request_log.h"

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
  out << e.method << " " << e.path << " " << e.status << " " << ms << "ms";
  if (!e.analysis_id.empty()) out << " id=" << e.analysis_id;
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
