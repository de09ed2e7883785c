#pragma once
// One structured line per request on stderr. Only facts about the request:
// nothing from the uploaded audio, no file names.
#include <string>

namespace soundlens::http {

struct RequestLogEntry {
  std::string method;
  std::string path;
  int status = 0;
  double ms = 0;
  std::string analysis_id;
};

enum class LogFormat { json, text, off };

LogFormat parse_log_format(const std::string& name);  // "json", "text", "off"
void write_log_line(LogFormat format, const RequestLogEntry& entry);

}  // namespace soundlens::http
