#include "auth/auth_mode.h"

#include <arpa/inet.h>

#include <string>

#include "core/error.h"

namespace soundlens::auth {

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  std::string text(host);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;  // any other name may resolve to a reachable address
}

AuthMode resolve_auth_mode(std::string_view setting, std::string_view host) {
  if (setting == "off") return AuthMode::off;
  if (setting == "required") return AuthMode::required;
  if (setting == "auto") return is_loopback_host(host) ? AuthMode::off : AuthMode::required;
  throw Error(ErrorCode::bad_request, "--auth must be off, required or auto, not '" + std::string(setting) + "'");
}

std::string_view auth_mode_name(AuthMode mode) { return mode == AuthMode::required ? "required" : "off"; }

}  // namespace soundlens::auth
