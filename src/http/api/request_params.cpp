#include "http/api/request_params.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/error.h"
#include "core/parameters.h"
#include "http/api/form_fields.h"
#include "http/api/route_table.h"

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

// The request's route's declaration of `name`, which must be of this type.
const RouteParameter& declaration(const Request& request, const std::string& name, const std::string& type) {
  if (!request.route) throw Error(ErrorCode::internal, "a request without a route reads the parameter " + name);
  const RouteParameter* p = declared_parameter(*request.route, name);
  if (!p || p->type != type)
    throw Error(ErrorCode::internal, "the route " + request.operation_id() + " declares no " + type + " parameter " + name);
  return *p;
}

template <typename T>
std::optional<T> checked(const std::string& name, const std::string& text, std::optional<T> value,
                         const RouteParameter& p, const char* not_a) {
  if (!value) reject(name, text, not_a);
  const T min = p.minimum ? T(*p.minimum) : std::numeric_limits<T>::lowest();
  const T max = p.maximum ? T(*p.maximum) : std::numeric_limits<T>::max();
  if (*value < min || *value > max) reject(name, text, range_text(min, max));
  return value;
}

template <typename T>
T with_default(const Request& request, const RouteParameter& p, std::optional<T> value) {
  if (value) return *value;
  if (p.default_value.empty())
    throw Error(ErrorCode::internal, "the route " + request.operation_id() + " declares no default for " + p.name);
  if constexpr (std::is_integral_v<T>) return *parse_integer(p.default_value);
  else return *parse_decimal(p.default_value);
}

}  // namespace

std::optional<int> plain_index(const std::string& text, std::size_t max_digits) {
  max_digits = std::min<std::size_t>(max_digits, 9);  // within int
  if (text.empty() || text.size() > max_digits || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::stoi(text);
}

int event_index(const std::string& name, const std::string& text, std::size_t events) {
  const auto parsed = plain_index(text, 9);
  if (!parsed)
    throw Error(ErrorCode::bad_request, "invalid value " + quoted_value(text) + " for parameter " + name +
                                            ": expected the event's place from 0, without leading zeros");
  if (std::size_t(*parsed) >= events)
    throw Error(ErrorCode::not_found, "no event " + text + " in this analysis (it has " + std::to_string(events) +
                                          (events == 1 ? " event)" : " events)"));
  return *parsed;
}

std::optional<long> given_integer(const Request& request, const std::string& name) {
  const RouteParameter& p = declaration(request, name, "integer");
  const auto text = request.param(name);
  if (!text || text->empty()) return std::nullopt;
  return checked<long>(name, *text, parse_integer(*text), p, "not an integer");
}

std::optional<double> given_number(const Request& request, const std::string& name) {
  const RouteParameter& p = declaration(request, name, "number");
  const auto text = request.param(name);
  if (!text || text->empty()) return std::nullopt;
  return checked<double>(name, *text, parse_decimal(*text), p, "not a decimal number");
}

long integer_param(const Request& request, const std::string& name) {
  return with_default(request, declaration(request, name, "integer"), given_integer(request, name));
}

double number_param(const Request& request, const std::string& name) {
  return with_default(request, declaration(request, name, "number"), given_number(request, name));
}

std::string text_param(const Request& request, const std::string& name) {
  const RouteParameter& p = declaration(request, name, "string");
  const auto text = request.param(name);
  if (!text || text->empty()) return p.default_value;
  if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), *text) == p.choices.end()) {
    std::string expected;
    for (std::size_t i = 0; i < p.choices.size(); ++i)
      expected += (i == 0 ? "" : i + 1 == p.choices.size() ? " or " : ", ") + p.choices[i];
    reject(name, *text, "expected " + expected);
  }
  return *text;
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
  if (request.route) {
    const auto files = declared_form_files(request, *request.route);
    if (files.size() > 1) {
      const RouteSpec& route = *request.route;
      throw Error(ErrorCode::bad_request,
                  "more than one field 'file': " + route.method + " " + route.path + " takes one recording");
    }
  }
  auto it = request.parts.find("file");
  if (it == request.parts.end())
    throw Error(ErrorCode::bad_request, "no file: send the recording as the multipart/form-data field 'file'");
  return it->second;
}

}  // namespace soundlens::http
