// display_filename: uploaded names as they are shown back to people.
#include <algorithm>

#include "service/pipeline.h"

namespace soundlens::service {
namespace {

// The length of the valid UTF-8 sequence starting at text[i], or 0 if it is
// not one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  char32_t code = 0, min = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, code = lead & 0x1f, min = 0x80;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, code = lead & 0x0f, min = 0x800;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, code = lead & 0x07, min = 0x10000;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

}  // namespace

// Uploaded names are shown back to people, never used as paths: keep them
// short, printable and valid UTF-8 (the JSON they go into must be). A byte
// that is not UTF-8 (e.g. a Latin-1 name) becomes U+FFFD; the name is cut
// at a character boundary.
std::string display_filename(const std::string& name) {
  constexpr std::size_t max_bytes = 255;
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = utf8_sequence_length(name, i);
    const std::string piece = length == 0 ? replacement : name.substr(i, length);
    i += std::max<std::size_t>(length, 1);
    const auto c = static_cast<unsigned char>(piece[0]);
    if (c < 0x20 || c == 0x7f) continue;
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
  }
  return out.empty() ? "upload" : out;
}

}  // namespace soundlens::service
