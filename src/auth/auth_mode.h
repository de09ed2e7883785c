#pragma once
// When authentication is required: `--auth off|required|auto`; auto is off
// on a loopback address and required on any other.
#include <string_view>

namespace soundlens::auth {

enum class AuthMode { off, required };

bool is_loopback_host(std::string_view host);
// Throws Error(bad_request) for a setting other than off, required, auto.
AuthMode resolve_auth_mode(std::string_view setting, std::string_view host);
std::string_view auth_mode_name(AuthMode mode);

}  // namespace soundlens::auth
