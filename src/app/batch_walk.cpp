#include "app/batch_walk.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>

#include "core/error.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;

// The extensions of the containers src/audio/input_policy.cpp accepts.
constexpr std::array<std::string_view, 17> kAudioExtensions = {
    ".wav", ".wave", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".mka", ".webm", ".m4a",
    ".mp4", ".mov", ".aac", ".aif", ".aiff", ".aifc", ".caf"};

bool hidden(const fs::path& name) { return name.string().starts_with('.'); }

bool inside(const fs::path& child, const fs::path& parent) {
  const auto rel = child.lexically_relative(parent);
  return !rel.empty() && *rel.begin() != "..";
}

fs::path canonical_or_empty(const fs::path& p) {
  std::error_code ec;
  auto c = fs::canonical(p, ec);
  return ec ? fs::path() : c;
}

void walk(const fs::path& root, const fs::path& folder, const fs::path& exclude, std::vector<BatchEntry>& out) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec), end;
  if (ec) {
    out.push_back({fs::relative(folder, root).generic_string(), folder, 0, "cannot read the folder: " + ec.message()});
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::path path = it->path();
    if (hidden(path.filename())) continue;
    BatchEntry entry{path.lexically_relative(root).generic_string(), path, 0, ""};
    const auto status = it->symlink_status(ec);
    if (fs::is_symlink(status)) {
      const fs::path target = canonical_or_empty(path);
      if (target.empty() || !inside(target, root)) entry.skip_reason = "a symbolic link out of the folder";
      else if (fs::is_directory(target)) entry.skip_reason = "a symbolic link to a folder";
      else if (!fs::is_regular_file(target)) entry.skip_reason = "not a regular file";
    } else if (fs::is_directory(status)) {
      if (!exclude.empty() && canonical_or_empty(path) == exclude) continue;
      walk(root, path, exclude, out);
      continue;
    } else if (!fs::is_regular_file(status)) {
      entry.skip_reason = "not a regular file";
    }
    if (entry.skip_reason.empty() && !is_audio_extension(path.extension().string()))
      entry.skip_reason = "not an audio file extension";
    if (entry.skip_reason.empty()) entry.size = fs::file_size(path, ec);
    out.push_back(std::move(entry));
  }
}

}  // namespace

bool is_audio_extension(std::string_view extension) {
  std::string lower(extension);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return std::find(kAudioExtensions.begin(), kAudioExtensions.end(), lower) != kAudioExtensions.end();
}

std::vector<BatchEntry> walk_batch_folder(const fs::path& dir, const fs::path& exclude) {
  const fs::path root = canonical_or_empty(dir);
  if (root.empty() || !fs::is_directory(root)) throw Error(ErrorCode::bad_request, "not a folder: " + dir.string());
  std::vector<BatchEntry> out;
  walk(root, root, exclude.empty() ? fs::path() : canonical_or_empty(exclude), out);
  std::sort(out.begin(), out.end(), [](const BatchEntry& a, const BatchEntry& b) { return a.relative < b.relative; });
  return out;
}

}  // namespace soundlens
