#include "core/json_member.h"

#include <cstddef>

namespace soundlens {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && blank(s[i])) ++i;
  return i;
}

// s[i] is '"': the index just past the closing quote, or npos if the string does not end.
std::size_t past_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // the escaped character (the 4 hex digits of \u are plain characters)
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// s[i] starts a value: the index just past it, or npos if it does not end. Not a validator: what it
// skips is only delimited (strings, then brackets by depth; anything else up to , } ] or a blank).
std::size_t past_value(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return past_string(s, i);
  if (s[i] != '{' && s[i] != '[') {
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !blank(s[i])) ++i;
    return i;
  }
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      i = past_string(s, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string_view> top_level_member(std::string_view json, std::string_view key) {
  std::size_t i = skip_blanks(json, 0);
  if (i >= json.size() || json[i] != '{') return std::nullopt;
  i = skip_blanks(json, i + 1);
  while (i < json.size() && json[i] == '"') {
    const std::size_t key_end = past_string(json, i);
    if (key_end == std::string_view::npos) return std::nullopt;
    const std::string_view name = json.substr(i + 1, key_end - i - 2);
    i = skip_blanks(json, key_end);
    if (i >= json.size() || json[i] != ':') return std::nullopt;
    i = skip_blanks(json, i + 1);
    const std::size_t value_end = past_value(json, i);
    if (value_end == std::string_view::npos || value_end == i) return std::nullopt;
    if (name == key) return json.substr(i, value_end - i);
    i = skip_blanks(json, value_end);
    if (i < json.size() && json[i] == ',') i = skip_blanks(json, i + 1);
  }
  return std::nullopt;
}

}  // namespace soundlens
