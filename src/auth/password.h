#pragma once
// Passwords for signing in on the web: a slow salted hash, because people
// choose guessable passwords (API keys are random and need only a keyed hash,
// see keys.h). Stored as "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX":
// PBKDF2-HMAC-SHA256 (OpenSSL), a 16-byte random salt, a 32-byte hash.
#include <string>
#include <string_view>

namespace soundlens::auth {

inline constexpr int password_iterations = 200'000;
inline constexpr std::size_t min_password_bytes = 10, max_password_bytes = 1024;

// Throws Error(bad_request) unless 10 to 1024 bytes with no NUL or line break.
void check_password_rules(std::string_view password);
// The stored form of a new password (a fresh salt each time); checks the rules first.
std::string hash_password(std::string_view password, int iterations = password_iterations);
// True when `password` matches the stored form; false for a malformed stored form.
// Compares in constant time (CRYPTO_memcmp).
bool verify_password(std::string_view password, std::string_view stored);
// The same work as verify_password against a real hash, for an unknown user,
// so that the time of a sign-in does not tell whether the name exists.
void verify_password_against_nothing(std::string_view password);
// Raw PBKDF2-HMAC-SHA256 as lowercase hex of `bytes` bytes (exposed for test vectors).
std::string pbkdf2_sha256_hex(std::string_view password, std::string_view salt, int iterations, std::size_t bytes);

}  // namespace soundlens::auth
