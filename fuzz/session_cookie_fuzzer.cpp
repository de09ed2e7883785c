// The Cookie header is sent by anyone who can reach the server; the session
// cookie is read from it before anything else about the caller is known.
// Checked against an independent statement of the rule: among the
// ';'-separated pairs, each trimmed of spaces and tabs, the first whose name
// (before the first '=') is exactly the cookie's name gives the value, without
// one pair of surrounding double quotes.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "auth/session_token.h"

namespace {

std::string expected_value(const std::string& header, const std::string& name) {
  std::istringstream pairs(header);
  std::string pair;
  while (std::getline(pairs, pair, ';')) {
    const auto first = pair.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    pair = pair.substr(first, pair.find_last_not_of(" \t") - first + 1);
    const auto equals = pair.find('=');
    if (equals == std::string::npos || pair.compare(0, equals, name) != 0 || equals != name.size()) continue;
    std::string value = pair.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string header(reinterpret_cast<const char*>(data), size);
  // The real cookie's name, and a name taken from the input (its first byte gives the length).
  const std::string real(soundlens::auth::session_cookie_name);
  const std::string other = size > 0 ? header.substr(1, std::min<std::size_t>(data[0] % 16, size - 1)) : "";
  for (const std::string& name : {real, other}) {
    if (name.empty()) continue;
    const std::string got = soundlens::auth::cookie_value(header, name);
    if (got != expected_value(header, name)) std::abort();
    if (got.find(';') != std::string::npos) std::abort();  // never more than one pair
  }
  return 0;
}
