#include "http/server/security_headers.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

#include "http/server/base64.h"

namespace soundlens::http {
namespace {

constexpr std::string_view page_policy_rest =
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - std::min(at, text.size()) < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  return true;
}

std::size_t find_nocase(std::string_view text, std::string_view lower, std::size_t from) {
  for (std::size_t at = from; at + lower.size() <= text.size(); ++at)
    if (starts_with_nocase(text, at, lower)) return at;
  return std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Reads a start tag's attributes from `at` (just after its name) to its '>':
// returns the position after the '>' (npos: the tag never ends) and whether it has a src attribute.
std::size_t read_attributes(std::string_view html, std::size_t at, bool& has_src) {
  has_src = false;
  while (at < html.size()) {
    while (at < html.size() && (is_space(html[at]) || html[at] == '/')) ++at;
    if (at >= html.size()) break;
    if (html[at] == '>') return at + 1;
    const std::size_t name_start = at;
    while (at < html.size() && !is_space(html[at]) && html[at] != '=' && html[at] != '>' && html[at] != '/') ++at;
    if (at - name_start == 3 && starts_with_nocase(html, name_start, "src")) has_src = true;
    while (at < html.size() && is_space(html[at])) ++at;
    if (at >= html.size() || html[at] != '=') continue;
    ++at;
    while (at < html.size() && is_space(html[at])) ++at;
    if (at < html.size() && (html[at] == '"' || html[at] == '\'')) {
      const std::size_t close = html.find(html[at], at + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      at = close + 1;
    } else {
      while (at < html.size() && !is_space(html[at]) && html[at] != '>') ++at;
    }
  }
  return std::string_view::npos;
}

// The browser hashes the script's text after the HTML parser has turned CR LF and lone CR into LF.
std::string csp_hash(std::string_view script) {
  std::string text;
  text.reserve(script.size());
  for (std::size_t i = 0; i < script.size(); ++i) {
    if (script[i] != '\r') text += script[i];
    else if (i + 1 >= script.size() || script[i + 1] != '\n') text += '\n';
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return "'sha256-" + base64_encode(digest) + "'";
}

}  // namespace

const char* const api_content_security_policy = "default-src 'none'; frame-ancestors 'none'; sandbox";

std::vector<std::pair<std::string, std::string>> security_headers(const std::string& content_type) {
  const bool page = content_type.rfind("text/html", 0) == 0;
  return {{"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Content-Security-Policy", page ? page_content_security_policy({}) : api_content_security_policy}};
}

std::vector<std::string> inline_script_hashes(std::string_view html) {
  std::vector<std::string> hashes;
  std::size_t at = 0;
  while ((at = find_nocase(html, "<script", at)) != std::string_view::npos) {
    at += 7;
    if (at < html.size() && !is_space(html[at]) && html[at] != '>' && html[at] != '/') continue;  // <scripts>
    bool has_src = false;
    const std::size_t body = read_attributes(html, at, has_src);
    if (body == std::string_view::npos) break;
    const std::size_t end = find_nocase(html, "</script", body);
    if (end == std::string_view::npos) break;
    if (!has_src) {
      std::string hash = csp_hash(html.substr(body, end - body));
      if (std::find(hashes.begin(), hashes.end(), hash) == hashes.end()) hashes.push_back(std::move(hash));
    }
    at = end + 8;
  }
  return hashes;
}

std::string page_content_security_policy(const std::vector<std::string>& script_hashes) {
  std::string policy = "default-src 'self'; script-src 'self'";
  for (const auto& hash : script_hashes) policy += " " + hash;
  policy += "; ";
  policy += page_policy_rest;
  return policy;
}

}  // namespace soundlens::http
