#include "http/request_params.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.h"

namespace soundlens::http {
namespace {

[[noreturn]] void reject(const std::string& name, const std::string& value, const std::string& why) {
  throw Error(ErrorCode::bad_request, "invalid value '" + value + "' for parameter " + name + ": " + why);
}

template <typename T>
std::string range_text(T min, T max) {
  std::ostringstream out;
  out << "must be between " << min << " and " << max;
  return out.str();
}

}  // namespace

long integer_param(const Request& request, const std::string& name, long fallback, long min, long max) {
  const auto text = request.param(name);
  if (!text || text->empty()) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text->c_str(), &end, 10);
  if (*end != '\0') reject(name, *text, "not an integer");
  if (value < min || value > max) reject(name, *text, range_text(min, max));
  return value;
}

double number_param(const Request& request, const std::string& name, double fallback, double min, double max) {
  const auto text = request.param(name);
  if (!text || text->empty()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (*end != '\0' || !std::isfinite(value)) reject(name, *text, "not a number");
  if (value < min || value > max) reject(name, *text, range_text(min, max));
  return value;
}

AnalysisOptions analysis_options(const Request& request) {
  AnalysisOptions options;
  options.top_k = int(integer_param(request, "top_k", 5, 1, 527));
  options.window_s = number_param(request, "window_s", 10, 1, 60);
  options.hop_s = number_param(request, "hop_s", std::min(5.0, options.window_s), 0.1, options.window_s);
  return options;
}

const UploadedPart& uploaded_file(const Request& request) {
  auto it = request.parts.find("file");
  if (it == request.parts.end())
    throw Error(ErrorCode::bad_request, "no file: send the recording as the multipart/form-data field 'file'");
  return it->second;
}

}  // namespace soundlens::http
