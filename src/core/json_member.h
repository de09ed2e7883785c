#pragma once
// The text of one member of a JSON document's top-level object, found without
// parsing the rest: a stored analysis of an hour is megabytes of numbers
// (its timeline and maps) around the events a route needs. Strings (with their
// escapes) and nesting are followed, so a key of the same name inside another
// value, or braces and quotes inside strings, are not taken for it. The key is
// compared as written (unescaped keys, as nlohmann::json writes them).
#include <optional>
#include <string_view>

namespace soundlens {

// The value's text (an object, array, string, number or literal, without the
// whitespace around it); nullopt when the top level is not an object, has no
// such key, or ends before the value does.
std::optional<std::string_view> top_level_member(std::string_view json, std::string_view key);

}  // namespace soundlens
