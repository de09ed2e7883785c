#include "http/server/web_path.h"

#include <algorithm>
#include <string>
#include <system_error>

namespace soundlens::http {
namespace {
namespace fs = std::filesystem;

bool is_safe_segment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;  // "", ".", "..", ".git", ...
  return std::none_of(segment.begin(), segment.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '\\' || c == '%' || byte < 0x20 || byte == 0x7f;
  });
}

// The relative path of the URL, or nullopt when a segment is unsafe. One
// trailing slash is allowed ("/history/" names the directory's index.html).
std::optional<fs::path> relative_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  url_path.remove_prefix(1);
  if (!url_path.empty() && url_path.back() == '/') url_path.remove_suffix(1);
  fs::path relative;
  if (url_path.empty()) return relative;
  while (true) {
    const auto slash = url_path.find('/');
    const std::string_view segment = url_path.substr(0, slash);
    if (!is_safe_segment(segment)) return std::nullopt;
    relative /= fs::path(std::string(segment));
    if (slash == std::string_view::npos) return relative;
    url_path.remove_prefix(slash + 1);
  }
}

bool is_within(const fs::path& path, const fs::path& root) {
  const auto [root_end, _] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

// The candidate resolved through every symlink, if it is a regular file under the root.
std::optional<fs::path> regular_file_under(const fs::path& root, const fs::path& candidate) {
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(candidate, error);
  if (error || !is_within(resolved, root)) return std::nullopt;
  if (!fs::is_regular_file(resolved, error) || error) return std::nullopt;
  return resolved;
}

}  // namespace

std::optional<fs::path> resolve_web_path(const fs::path& root, std::string_view url_path) {
  const auto relative = relative_path(url_path);
  if (!relative) return std::nullopt;
  std::error_code error;
  const fs::path canonical_root = fs::canonical(root, error);
  if (error) return std::nullopt;
  if (relative->empty()) return regular_file_under(canonical_root, canonical_root / "index.html");
  const fs::path base = canonical_root / *relative;
  for (const fs::path& candidate : {base, fs::path(base.string() + ".html"), base / "index.html"})
    if (auto file = regular_file_under(canonical_root, candidate)) return file;
  return std::nullopt;
}

}  // namespace soundlens::http
