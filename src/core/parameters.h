#pragma once
// Every parameter is declared once, with its default, range and help text,
// and is settable by flag (--name) and environment variable (SOUNDLENS_NAME).
// Bad values are rejected before anything starts, naming the parameter.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soundlens {

struct Parameter {
  std::string name;          // flag name without dashes, e.g. "top-k"
  std::string help;
  std::string default_value; // "" = no default
  enum class Kind { integer, number, text, flag } kind = Kind::text;
  double min = 0, max = 0;   // for integer/number; ignored when min == max
  std::vector<std::string> choices;  // for text; empty = free text
  bool repeatable = false;           // --class a --class b: values joined with '\n' (HTTP: a,b)
  std::string http;                  // name on HTTP; "" = the flag name with '_' for '-'
  std::string env_name() const;      // SOUNDLENS_TOP_K
  std::string http_name() const;     // top_k
};

// The one strict number parser: the whole text must be a plain decimal
// number ("12", "-0.5", "1e-3"); spaces, hex, NaN and infinity are not.
std::optional<double> parse_decimal(std::string_view text);
// A decimal integer in the range of long ("12", "-3"); no exponent, no fraction.
std::optional<long> parse_integer(std::string_view text);

// Values after defaults, environment and flags (flags win), all validated.
class ParameterValues {
 public:
  std::string text(const std::string& name) const;
  long integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  bool was_set(const std::string& name) const;  // by flag or environment
  std::map<std::string, std::string> values;
  std::map<std::string, bool> set;
};

struct ParsedCommandLine {
  ParameterValues parameters;
  std::vector<std::string> positional;
};

// Throws Error(bad_request) naming the parameter for unknown flags, missing
// values, and values out of range or not of the declared kind.
// Repeated flags: the last one wins, except those named in `repeatable`,
// whose values are joined with '\n'.
ParsedCommandLine parse_parameters(const std::vector<Parameter>& declared,
                                   const std::vector<std::string>& args);

// The same declarations read from named values (an HTTP request's fields,
// under http_name()): missing or empty values take the default; the
// environment does not apply. A repeatable parameter's value may list
// several items separated by commas. Errors name the HTTP parameter.
using ValueLookup = std::function<std::optional<std::string>(const std::string& http_name)>;
ParameterValues parameter_values(const std::vector<Parameter>& declared, const ValueLookup& lookup);

// The items of a repeatable parameter.
std::vector<std::string> list_items(const std::string& joined);

std::string parameters_help(const std::vector<Parameter>& declared);

}  // namespace soundlens
