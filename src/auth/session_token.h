#pragma once
// Web sessions' secrets: the cookie's token (256 random bits, sent to the
// browser once, stored only as its SHA-256) and the CSRF token (random, per
// session, given to the page and checked on every write by cookie).
#include <string>
#include <string_view>

namespace soundlens::auth {

inline constexpr std::string_view session_cookie_name = "soundlens_session";

// 64 lowercase hex digits from the OpenSSL CSPRNG.
std::string new_session_token();
// Lowercase hex SHA-256 of a token: what the session store keeps and looks up.
std::string session_token_hash(std::string_view token);
// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "" when absent.
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace soundlens::auth
