#include "core/parameters.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.h"

namespace soundlens {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Counts the digits from `i` on and moves `i` past them.
std::size_t skip_digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i - start;
}

void skip_sign(std::string_view text, std::size_t& i) {
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
}

std::string range_text(const Parameter& p) {
  std::ostringstream range;
  range << "must be between " << p.min << " and " << p.max;
  return range.str();
}

// Why `value` is not acceptable for `p`, or "" when it is.
std::string problem(const Parameter& p, const std::string& value) {
  using Kind = Parameter::Kind;
  if (p.kind == Kind::flag)
    return value == "true" || value == "false" || value == "1" || value == "0" ? "" : "expected true or false";
  if (p.kind == Kind::integer || p.kind == Kind::number) {
    double v = 0;
    if (p.kind == Kind::integer) {
      const auto i = parse_integer(value);
      if (!i) return "not an integer";
      v = double(*i);
    } else {
      const auto d = parse_decimal(value);
      if (!d) return "not a decimal number";
      v = *d;
    }
    if (p.min != p.max && (v < p.min || v > p.max)) return range_text(p);
    return "";
  }
  if (p.choices.empty() || std::find(p.choices.begin(), p.choices.end(), value) != p.choices.end()) return "";
  std::string list;
  for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
  return "expected one of " + list;
}

void validate_flag(const Parameter& p, const std::string& value) {
  if (const auto why = problem(p, value); !why.empty())
    throw Error(ErrorCode::bad_request,
                "invalid value " + quoted_value(value) + " for --" + p.name + " (" + p.env_name() + "): " + why);
}

const Parameter* find_declared(const std::vector<Parameter>& declared, const std::string& name) {
  for (const auto& p : declared)
    if (p.name == name) return &p;
  return nullptr;
}

std::string default_of(const Parameter& p) {
  return p.kind == Parameter::Kind::flag && p.default_value.empty() ? "false" : p.default_value;
}

}  // namespace

std::optional<double> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  skip_sign(text, i);
  std::size_t digits = skip_digits(text, i);
  if (i < text.size() && text[i] == '.') {
    ++i;
    digits += skip_digits(text, i);
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    skip_sign(text, i);
    if (skip_digits(text, i) == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const std::string copy(text);
  errno = 0;
  const double value = std::strtod(copy.c_str(), nullptr);
  if (!std::isfinite(value) || errno == ERANGE) return std::nullopt;
  return value;
}

std::optional<long> parse_integer(std::string_view text) {
  std::size_t i = 0;
  skip_sign(text, i);
  if (skip_digits(text, i) == 0 || i != text.size()) return std::nullopt;
  const std::string copy(text);
  errno = 0;
  const long value = std::strtol(copy.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return value;
}

std::string Parameter::env_name() const {
  std::string env = "SOUNDLENS_";
  for (char c : name) env += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

std::string Parameter::http_name() const {
  if (!http.empty()) return http;
  std::string out = name;
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string ParameterValues::text(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) throw Error(ErrorCode::internal, "parameter not declared: " + name);
  return it->second;
}
// Values were validated when they were set; an empty one is an unset option without a default.
long ParameterValues::integer(const std::string& name) const { return parse_integer(text(name)).value_or(0); }
double ParameterValues::number(const std::string& name) const { return parse_decimal(text(name)).value_or(0); }
bool ParameterValues::flag(const std::string& name) const {
  const auto v = text(name);
  return v == "true" || v == "1";
}
bool ParameterValues::was_set(const std::string& name) const {
  auto it = set.find(name);
  return it != set.end() && it->second;
}

ParsedCommandLine parse_parameters(const std::vector<Parameter>& declared, const std::vector<std::string>& args) {
  ParsedCommandLine out;
  auto& params = out.parameters;
  for (const auto& p : declared) {
    params.values[p.name] = default_of(p);
    params.set[p.name] = false;
    if (const char* env = std::getenv(p.env_name().c_str()); env != nullptr && *env != '\0') {
      validate_flag(p, env);
      params.values[p.name] = env;
      params.set[p.name] = true;
    }
  }
  std::map<std::string, bool> seen_on_command_line;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      out.positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Parameter* p = find_declared(declared, name);
    if (p == nullptr) throw Error(ErrorCode::bad_request, "unknown option --" + name + " (see --help)");
    if (!inline_value) {
      if (p->kind == Parameter::Kind::flag) {
        value = "true";
      } else {
        if (i + 1 >= args.size()) throw Error(ErrorCode::bad_request, "option --" + name + " needs a value");
        value = args[++i];
      }
    }
    validate_flag(*p, value);
    if (p->repeatable && seen_on_command_line[name])
      params.values[name] += "\n" + value;
    else
      params.values[name] = value;
    seen_on_command_line[name] = true;
    params.set[name] = true;
  }
  return out;
}

ParameterValues parameter_values(const std::vector<Parameter>& declared, const ValueLookup& lookup) {
  ParameterValues params;
  for (const auto& p : declared) {
    params.values[p.name] = default_of(p);
    params.set[p.name] = false;
    const auto given = lookup(p.http_name());
    if (!given || given->empty()) continue;
    std::vector<std::string> items{*given};
    if (p.repeatable) {
      items.clear();
      std::istringstream parts(*given);
      for (std::string item; std::getline(parts, item, ',');)
        if (!item.empty()) items.push_back(item);
    }
    std::string joined;
    for (const auto& item : items) {
      if (const auto why = problem(p, item); !why.empty())
        throw Error(ErrorCode::bad_request,
                    "invalid value " + quoted_value(item) + " for parameter " + p.http_name() + ": " + why);
      joined += (joined.empty() ? "" : "\n") + item;
    }
    params.values[p.name] = joined;
    params.set[p.name] = true;
  }
  return params;
}

std::vector<std::string> list_items(const std::string& joined) {
  std::vector<std::string> items;
  std::istringstream lines(joined);
  for (std::string item; std::getline(lines, item);)
    if (!item.empty()) items.push_back(item);
  return items;
}

std::string parameters_help(const std::vector<Parameter>& declared) {
  std::ostringstream out;
  for (const auto& p : declared) {
    out << "  --" << p.name;
    if (p.kind != Parameter::Kind::flag) out << " VALUE";
    out << "\n      " << p.help;
    if (!p.default_value.empty()) out << " (default: " << p.default_value << ")";
    if (p.min != p.max) out << " [" << p.min << ", " << p.max << "]";
    if (p.repeatable) out << " (repeatable)";
    out << "\n      env: " << p.env_name() << "\n";
  }
  return out.str();
}

}  // namespace soundlens
