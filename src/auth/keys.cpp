#include "auth/keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "core/error.h"

namespace soundlens::auth {
namespace {

constexpr std::size_t id_hex = 16, secret_hex = 64;
constexpr std::string_view prefix = "sl_";

std::string to_hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

bool is_lower_hex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), int(bytes)) != 1)
    throw Error(ErrorCode::internal, "the system random number generator failed");
  return to_hex(buffer.data(), bytes);
}

NewKey generate_key() {
  NewKey key;
  key.parts.id = random_hex(id_hex / 2);
  key.parts.secret = random_hex(secret_hex / 2);
  key.text = std::string(prefix) + key.parts.id + "_" + key.parts.secret;
  return key;
}

std::optional<KeyParts> parse_key(std::string_view text) {
  if (text.size() != prefix.size() + id_hex + 1 + secret_hex || !text.starts_with(prefix)) return std::nullopt;
  const std::string_view id = text.substr(prefix.size(), id_hex);
  const std::string_view secret = text.substr(prefix.size() + id_hex + 1);
  if (text[prefix.size() + id_hex] != '_' || !is_lower_hex(id) || !is_lower_hex(secret)) return std::nullopt;
  return KeyParts{std::string(id), std::string(secret)};
}

std::string hash_secret(std::string_view install_secret, std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), install_secret.data(), int(install_secret.size()),
            reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest, &length))
    throw Error(ErrorCode::internal, "HMAC-SHA256 failed");
  return to_hex(digest, length);
}

bool hashes_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace soundlens::auth
