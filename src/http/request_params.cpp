#include "http/request_params.h"

#include <sstream>

#include "core/error.h"
#include "core/parameters.h"

namespace soundlens::http {
namespace {

[[noreturn]] void reject(const std::string& name, const std::string& value, const std::string& why) {
  throw Error(ErrorCode::bad_request, "invalid value " + quoted_value(value) + " for parameter " + name + ": " + why);
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
  const auto value = parse_integer(*text);
  if (!value) reject(name, *text, "not an integer");
  if (*value < min || *value > max) reject(name, *text, range_text(min, max));
  return *value;
}

double number_param(const Request& request, const std::string& name, double fallback, double min, double max) {
  const auto text = request.param(name);
  if (!text || text->empty()) return fallback;
  const auto value = parse_decimal(*text);
  if (!value) reject(name, *text, "not a decimal number");
  if (*value < min || *value > max) reject(name, *text, range_text(min, max));
  return *value;
}

AnalysisOptions analysis_options(const Request& request, const AnalysisLimits& limits) {
  const auto values =
      parameter_values(analysis_parameters(), [&](const std::string& name) { return request.param(name); });
  AnalysisOptions options = analysis_options(values);
  options.limits = limits;
  return options;
}

AnalysisEventOptions event_options(const Request& request) {
  return event_options(parameter_values(event_parameters(), [&](const std::string& name) { return request.param(name); }));
}

const UploadedPart& uploaded_file(const Request& request) {
  auto it = request.parts.find("file");
  if (it == request.parts.end())
    throw Error(ErrorCode::bad_request, "no file: send the recording as the multipart/form-data field 'file'");
  return it->second;
}

}  // namespace soundlens::http
