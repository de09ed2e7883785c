#include "http/server/content_disposition.h"

#include <cstdio>
#include <string_view>

namespace soundlens::http {
namespace {

bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
bool is_attr_char(unsigned char c) { return is_alnum(c) || std::string_view("!#$&+-.^_`|~").find(char(c)) != std::string_view::npos; }

std::string ascii_form(const std::string& name) {
  std::string out;
  for (const unsigned char c : name)
    out += is_alnum(c) || std::string_view(" .-_()+,").find(char(c)) != std::string_view::npos ? char(c) : '_';
  return out;
}

std::string percent_encoded(const std::string& name) {
  std::string out;
  for (const unsigned char c : name) {
    if (is_attr_char(c)) {
      out += char(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

std::string attachment_disposition(const std::string& filename) {
  const std::string name = filename.empty() ? "download" : filename;
  return "attachment; filename=\"" + ascii_form(name) + "\"; filename*=UTF-8''" + percent_encoded(name);
}

std::string download_name(const std::string& recording, const std::string& suffix, const std::string& fallback) {
  const auto folder_end = recording.find_last_of("/\\");
  std::string stem = folder_end == std::string::npos ? recording : recording.substr(folder_end + 1);
  if (const auto dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
  if (stem.empty() || stem == "." || stem == "..") stem = fallback;
  return stem + suffix;
}

}  // namespace soundlens::http
