#include "http/server/head_lines.h"

#include <algorithm>
#include <cctype>

namespace soundlens::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> decimal(std::string_view text) {
  if (text.empty() || text.size() > 19 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) value = value * 10 + std::uint64_t(c - '0');
  return value;
}

}  // namespace

std::optional<std::string> HeadLines::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (same_name(n, name)) return v;
  return std::nullopt;
}

std::size_t HeadLines::count(std::string_view name) const {
  return std::size_t(std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return same_name(h.first, name); }));
}

std::optional<HeadLines> parse_head_lines(std::string_view bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  HeadLines head;
  head.size = end + 4;
  std::string_view rest = bytes.substr(0, end + 2);
  const auto line_end = rest.find("\r\n");
  const std::string_view line = rest.substr(0, line_end);
  rest.remove_prefix(line_end + 2);
  const auto first_space = line.find(' ');
  const auto last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space == first_space) return std::nullopt;
  head.method = std::string(line.substr(0, first_space));
  head.target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
  if (head.method.empty() || head.target.empty()) return std::nullopt;
  while (!rest.empty()) {
    const auto next = rest.find("\r\n");
    const std::string_view field = rest.substr(0, next);
    rest.remove_prefix(next + 2);
    const auto colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // the library refuses such a head
    head.headers.emplace_back(std::string(field.substr(0, colon)), std::string(trim(field.substr(colon + 1))));
  }
  return head;
}

BodyFraming body_framing(const HeadLines& head) {
  BodyFraming framing;
  if (const auto expect = head.header("Expect")) framing.expects_continue = same_name(*expect, "100-continue");
  const std::size_t lengths = head.count("Content-Length");
  if (head.count("Transfer-Encoding") > 0) {
    const auto te = head.header("Transfer-Encoding");
    framing.kind = lengths == 0 && head.count("Transfer-Encoding") == 1 && same_name(*te, "chunked")
                       ? BodyFraming::Kind::chunked
                       : BodyFraming::Kind::unclear;
    return framing;
  }
  if (lengths == 0) {
    // The library reads the body of these methods to the end of the connection when no length is given.
    for (const char* method : {"POST", "PUT", "PATCH", "PRI"})
      if (head.method == method) framing.kind = BodyFraming::Kind::unclear;
    return framing;
  }
  const auto length = decimal(*head.header("Content-Length"));
  if (lengths > 1 || !length) {
    framing.kind = BodyFraming::Kind::unclear;
    return framing;
  }
  framing.kind = *length == 0 ? BodyFraming::Kind::none : BodyFraming::Kind::length;
  framing.length = *length;
  return framing;
}

std::size_t erase_header(std::string& bytes, std::size_t head_size, std::string_view name) {
  // Header lines start after a CRLF; the request line (the first) is never one of them.
  for (std::size_t start = bytes.find("\r\n"); start != std::string::npos && start + 2 < head_size;) {
    const std::size_t line = start + 2;
    const std::size_t end = bytes.find("\r\n", line);
    if (end == std::string::npos || end >= head_size) break;
    const std::string_view field(bytes.data() + line, end - line);
    if (field.size() > name.size() && field[name.size()] == ':' && same_name(field.substr(0, name.size()), name)) {
      bytes.erase(line, end + 2 - line);
      head_size -= end + 2 - line;
      continue;  // `start` now precedes the next line
    }
    start = end;
  }
  return head_size;
}

}  // namespace soundlens::http
