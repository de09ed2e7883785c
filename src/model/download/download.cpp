#include "model/download/download.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>

#include "core/error.h"

namespace soundlens {
namespace {

struct Url {
  std::string origin, path;
};

Url split_url(const std::string& url) {
  static const std::regex pattern(R"(^(https?://[^/]+)(/.*)?$)");
  std::smatch m;
  if (!std::regex_match(url, m, pattern)) throw Error(ErrorCode::bad_request, "not an http(s) URL: " + url);
  return {m[1].str(), m[2].matched ? m[2].str() : "/"};
}

std::string hex(const unsigned char* digest, unsigned size) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < size; ++i) s += digits[digest[i] >> 4], s += digits[digest[i] & 15];
  return s;
}

}  // namespace

Download download_file(const std::string& url, const std::string& destination) {
  const auto [origin, path] = split_url(url);
  httplib::Client client(origin);
  client.set_follow_location(true);
  client.set_connection_timeout(10);
  client.set_read_timeout(60);

  std::ofstream out(destination, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorCode::internal, "cannot write " + destination);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
  Download result;
  auto response = client.Get(path, [&](const char* data, size_t size) {
    out.write(data, std::streamsize(size));
    EVP_DigestUpdate(md5.get(), data, size);
    result.bytes += std::int64_t(size);
    return bool(out);
  });
  out.close();
  if (!response || response->status != 200) {
    std::filesystem::remove(destination);
    const std::string why = response ? "HTTP status " + std::to_string(response->status)
                                     : httplib::to_string(response.error());
    throw Error(ErrorCode::internal, "download of " + url + " failed (" + why +
                                         "). Without internet, copy the file by hand into a model directory.");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  EVP_DigestFinal_ex(md5.get(), digest, &size);
  result.md5_hex = hex(digest, size);
  return result;
}

}  // namespace soundlens
