#include "auth/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <optional>
#include <vector>

#include "auth/keys.h"
#include "core/error.h"

namespace soundlens::auth {
namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";
constexpr std::size_t salt_bytes = 16, hash_bytes = 32;
constexpr int max_iterations = 10'000'000;  // a stored form asking for more is refused, not run

std::vector<unsigned char> pbkdf2(std::string_view password, std::string_view salt, int iterations,
                                  std::size_t bytes) {
  std::vector<unsigned char> out(bytes);
  if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                        int(salt.size()), iterations, EVP_sha256(), int(bytes), out.data()) != 1)
    throw Error(ErrorCode::internal, "PBKDF2 failed");
  return out;
}

std::string to_hex(const std::vector<unsigned char>& data) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : data) out += digits[c >> 4], out += digits[c & 0xf];
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (error != std::errc() || end != hex.data() + i + 2) return std::nullopt;
    out += char(value);
  }
  return out;
}

struct Stored {
  int iterations = 0;
  std::string salt;  // bytes
  std::string hash;  // bytes
};

std::optional<Stored> parse_stored(std::string_view stored) {
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    const auto end = stored.find('$', start);
    fields.push_back(stored.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (fields.size() != 4 || fields[0] != scheme) return std::nullopt;
  Stored out;
  const auto [end, error] = std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), out.iterations);
  if (error != std::errc() || end != fields[1].data() + fields[1].size() || out.iterations < 1 ||
      out.iterations > max_iterations)
    return std::nullopt;
  auto salt = from_hex(fields[2]);
  auto hash = from_hex(fields[3]);
  if (!salt || !hash || salt->empty() || hash->size() != hash_bytes) return std::nullopt;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return out;
}

}  // namespace

void check_password_rules(std::string_view password) {
  if (password.size() < min_password_bytes)
    throw Error(ErrorCode::bad_request,
                "the password is too short: at least " + std::to_string(min_password_bytes) + " characters");
  if (password.size() > max_password_bytes)
    throw Error(ErrorCode::bad_request,
                "the password is too long: at most " + std::to_string(max_password_bytes) + " bytes");
  for (char c : password)
    if (c == '\0' || c == '\n' || c == '\r')
      throw Error(ErrorCode::bad_request, "the password may not contain NUL or line breaks");
}

std::string pbkdf2_sha256_hex(std::string_view password, std::string_view salt, int iterations, std::size_t bytes) {
  return to_hex(pbkdf2(password, salt, iterations, bytes));
}

std::string hash_password(std::string_view password, int iterations) {
  check_password_rules(password);
  if (iterations < 1 || iterations > max_iterations) throw Error(ErrorCode::internal, "bad PBKDF2 iteration count");
  const auto salt = from_hex(random_hex(salt_bytes));
  return std::string(scheme) + "$" + std::to_string(iterations) + "$" + to_hex({salt->begin(), salt->end()}) + "$" +
         to_hex(pbkdf2(password, *salt, iterations, hash_bytes));
}

bool verify_password(std::string_view password, std::string_view stored) {
  const auto parsed = parse_stored(stored);
  if (!parsed || password.size() > max_password_bytes) return false;
  const auto hash = pbkdf2(password, parsed->salt, parsed->iterations, hash_bytes);
  return CRYPTO_memcmp(hash.data(), parsed->hash.data(), hash_bytes) == 0;
}

void verify_password_against_nothing(std::string_view password) {
  // A fixed, valid stored form with the default work; no password matches it by chance.
  static const std::string dummy = std::string(scheme) + "$" + std::to_string(password_iterations) + "$" +
                                   std::string(32, '0') + "$" + std::string(64, '0');
  (void)verify_password(password.substr(0, max_password_bytes), dummy);
}

}  // namespace soundlens::auth
