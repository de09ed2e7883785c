#pragma once
// API keys: generation, their printed form, and the hash that is stored.
//
// A key is "sl_<id>_<secret>": 16 hex digits of id (looked up, not secret)
// and 64 hex digits of secret (256 bits from RAND_bytes). Only
// HMAC-SHA256(install secret, secret) is stored. A slow hash (PBKDF2,
// scrypt) defends guessable passwords; a 256-bit random secret cannot be
// guessed, so one keyed hash is as safe and keeps the check far under a
// millisecond. The install secret (a file beside the database, not in it)
// means a copied database alone cannot even test a candidate key.
#include <optional>
#include <string>
#include <string_view>

namespace soundlens::auth {

struct KeyParts {
  std::string id;      // 16 lowercase hex digits
  std::string secret;  // 64 lowercase hex digits
};

struct NewKey {
  KeyParts parts;
  std::string text;  // what the user is given once: sl_<id>_<secret>
};

NewKey generate_key();
// The parts of a key as a client sent it; nullopt unless it has exactly the form above.
std::optional<KeyParts> parse_key(std::string_view text);
// Lowercase hex of HMAC-SHA256(install_secret, secret).
std::string hash_secret(std::string_view install_secret, std::string_view secret);
// Constant-time comparison of two hashes (CRYPTO_memcmp); false when lengths differ.
bool hashes_equal(std::string_view a, std::string_view b);
// `bytes` random bytes from the OpenSSL CSPRNG as lowercase hex; throws Error(internal) if it fails.
std::string random_hex(std::size_t bytes);

}  // namespace soundlens::auth
