#pragma once
// Maps a URL path of the static web app onto a file under its root, or
// refuses. Pure apart from reading the file system; the fuzz target calls it
// with arbitrary bytes.
#include <filesystem>
#include <optional>
#include <string_view>

namespace soundlens::http {

// `url_path` is the request path after percent-decoding, starting with '/'
// ("/", "/history", "/_next/static/app.js"). Returns the canonical path of a
// regular file under the canonical `root` for it: the file itself, or
// NAME.html, or NAME/index.html, in that order. Refused (nullopt): empty,
// "." or ".." segments, segments starting with '.', backslashes, '%' (a
// second round of decoding), NUL and other control characters, anything
// that resolves outside the root (also through symlinks), and anything that
// is not a regular file.
std::optional<std::filesystem::path> resolve_web_path(const std::filesystem::path& root, std::string_view url_path);

}  // namespace soundlens::http
