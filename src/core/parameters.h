#pragma once
// Every parameter is declared once, with its default, range and help text,
// and is settable by flag (--name) and environment variable (SOUNDLENS_NAME).
// Bad values are rejected before anything starts, naming the parameter.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct Parameter {
  std::string name;          // flag name without dashes, e.g. "top-k"
  std::string help;
  std::string default_value; // "" = no default
  enum class Kind { integer, number, text, flag } kind = Kind::text;
  double min = 0, max = 0;   // for integer/number; ignored when min == max
  std::vector<std::string> choices;  // for text; empty = free text
  std::string env_name() const;      // SOUNDLENS_TOP_K
};

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
                                   const std::vector<std::string>& args,
                                   const std::vector<std::string>& repeatable = {});

std::string parameters_help(const std::vector<Parameter>& declared);

}  // namespace soundlens
