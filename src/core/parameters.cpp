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

[[noreturn]] void reject(const Parameter& p, const std::string& value, const std::string& why) {
  throw Error(ErrorCode::bad_request,
              "invalid value '" + value + "' for --" + p.name + " (" + p.env_name() + "): " + why);
}

void validate(const Parameter& p, const std::string& value) {
  using Kind = Parameter::Kind;
  if (p.kind == Kind::flag) {
    if (value != "true" && value != "false" && value != "1" && value != "0")
      reject(p, value, "expected true or false");
    return;
  }
  if (p.kind == Kind::integer || p.kind == Kind::number) {
    char* end = nullptr;
    errno = 0;
    // Integers are read as integer() reads them (strtol), so that "1e2" or
    // "0x10" cannot pass as one number here and become another later.
    const double v = p.kind == Kind::integer ? double(std::strtol(value.c_str(), &end, 10))
                                             : std::strtod(value.c_str(), &end);
    if (value.empty() || end == nullptr || *end != '\0')
      reject(p, value, p.kind == Kind::integer ? "not an integer" : "not a number");
    if (errno == ERANGE || !std::isfinite(v)) reject(p, value, "out of range");
    if (p.min != p.max && (v < p.min || v > p.max)) {
      std::ostringstream range;
      range << "must be between " << p.min << " and " << p.max;
      reject(p, value, range.str());
    }
    return;
  }
  if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) {
    std::string list;
    for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
    reject(p, value, "expected one of " + list);
  }
}

const Parameter* find_declared(const std::vector<Parameter>& declared, const std::string& name) {
  for (const auto& p : declared)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

std::string Parameter::env_name() const {
  std::string env = "SOUNDLENS_";
  for (char c : name) env += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

std::string ParameterValues::text(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) throw Error(ErrorCode::internal, "parameter not declared: " + name);
  return it->second;
}
long ParameterValues::integer(const std::string& name) const { return std::strtol(text(name).c_str(), nullptr, 10); }
double ParameterValues::number(const std::string& name) const { return std::strtod(text(name).c_str(), nullptr); }
bool ParameterValues::flag(const std::string& name) const {
  const auto v = text(name);
  return v == "true" || v == "1";
}
bool ParameterValues::was_set(const std::string& name) const {
  auto it = set.find(name);
  return it != set.end() && it->second;
}

ParsedCommandLine parse_parameters(const std::vector<Parameter>& declared, const std::vector<std::string>& args,
                                   const std::vector<std::string>& repeatable) {
  ParsedCommandLine out;
  auto& params = out.parameters;
  for (const auto& p : declared) {
    params.values[p.name] = p.kind == Parameter::Kind::flag && p.default_value.empty() ? "false" : p.default_value;
    params.set[p.name] = false;
    if (const char* env = std::getenv(p.env_name().c_str()); env != nullptr && *env != '\0') {
      validate(p, env);
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
    validate(*p, value);
    const bool joins = std::find(repeatable.begin(), repeatable.end(), name) != repeatable.end();
    if (joins && seen_on_command_line[name])
      params.values[name] += "\n" + value;
    else
      params.values[name] = value;
    seen_on_command_line[name] = true;
    params.set[name] = true;
  }
  return out;
}

std::string parameters_help(const std::vector<Parameter>& declared) {
  std::ostringstream out;
  for (const auto& p : declared) {
    out << "  --" << p.name;
    if (p.kind != Parameter::Kind::flag) out << " VALUE";
    out << "\n      " << p.help;
    if (!p.default_value.empty()) out << " (default: " << p.default_value << ")";
    if (p.min != p.max) out << " [" << p.min << ", " << p.max << "]";
    out << "\n      env: " << p.env_name() << "\n";
  }
  return out.str();
}

}  // namespace soundlens
