#include "train/labelled_folder.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.h"
#include "model/file_sha256.h"

namespace soundlens {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxLabelBytes = 100;

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF): a label is written
// to JSON, CSV and the page.
bool is_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (n < 0 || i + std::size_t(n) >= s.size()) return false;
    std::uint32_t cp = n == 0 ? c : c & (0x3f >> n);
    for (int k = 1; k <= n; ++k) {
      const auto t = static_cast<unsigned char>(s[i + std::size_t(k)]);
      if ((t & 0xc0) != 0x80) return false;
      cp = cp << 6 | (t & 0x3f);
    }
    static constexpr std::uint32_t kLeast[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kLeast[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += std::size_t(n) + 1;
  }
  return true;
}

void check_label(const std::string& dir, const std::string& name) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (control || name.size() > kMaxLabelBytes || name.find_first_not_of(' ') == std::string::npos || !is_utf8(name))
    throw Error(ErrorCode::bad_request, "the label folder " + quoted_value(name) + " in " + dir +
                                            " is not a valid label (printable UTF-8 characters, at most 100 bytes)");
}

}  // namespace

bool is_negative_label(const std::string& name) {
  const auto l = lower(name);
  return l == "none" || l == "background";
}

LabelledFolder read_labelled_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::bad_request, dir + " is not a folder of labelled recordings");
  LabelledFolder folder;
  std::vector<fs::path> label_dirs;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    std::error_code entry_error;  // a broken or looping link is this entry's problem, not the folder's
    if (entry.is_directory(entry_error)) {
      if (name.starts_with(".")) {
        folder.skipped.push_back(name + "/: a hidden folder, not a label");
        continue;
      }
      check_label(dir, name);
      label_dirs.push_back(entry.path());
    } else if (entry_error) {
      folder.skipped.push_back(name + ": cannot be read (" + entry_error.message() + ")");
    } else {
      folder.skipped.push_back(name + ": not inside a label folder");
    }
  }
  if (ec) throw Error(ErrorCode::bad_request, "could not read " + dir + ": " + ec.message());
  std::sort(label_dirs.begin(), label_dirs.end());
  for (const auto& d : label_dirs) {
    const auto name = d.filename().string();
    if (is_negative_label(name)) {
      folder.negative_class = true;
    } else {
      folder.classes.push_back(name);
    }
  }
  if (folder.classes.empty())
    throw Error(ErrorCode::bad_request, dir + " has no label folders: put each label's recordings in DIR/<label>/");
  if (folder.classes.size() == 1 && !folder.negative_class)
    throw Error(ErrorCode::bad_request, dir + " has one label, '" + folder.classes.front() +
                                            "': a classifier needs a second label, or a `none` folder of recordings without it");

  std::map<std::string, std::size_t> by_hash;  // sha256 -> index in files
  std::set<std::string> negative_only;
  for (const auto& d : label_dirs) {
    const auto name = d.filename().string();
    const bool negative = is_negative_label(name);
    const int label = negative ? -1
                               : int(std::find(folder.classes.begin(), folder.classes.end(), name) - folder.classes.begin());
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(d, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const auto rel = it->path().lexically_relative(dir).string();
      if (it->path().filename().string().starts_with(".")) {
        folder.skipped.push_back(rel + ": hidden");
        std::error_code hidden_error;
        if (it->is_directory(hidden_error)) it.disable_recursion_pending();
        continue;
      }
      std::error_code entry_error;
      if (it->is_regular_file(entry_error)) found.push_back(it->path());
      else if (entry_error) folder.skipped.push_back(rel + ": cannot be read (" + entry_error.message() + ")");
      else if (it->is_symlink(entry_error) && it->is_directory(entry_error))
        folder.skipped.push_back(rel + "/: a link to a folder, not followed (it could loop)");
      else if (!it->is_directory(entry_error)) folder.skipped.push_back(rel + ": not a regular file");
    }
    if (ec) folder.skipped.push_back(name + "/: not read to the end (" + ec.message() + "); the files after that are left out");
    ec.clear();
    if (found.empty())
      throw Error(ErrorCode::bad_request, "the label folder '" + name + "' in " + dir + " has no files");
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      LabelledFile f;
      f.path = path.string();
      f.relative = path.lexically_relative(dir).string();
      try {
        f.sha256 = file_sha256(f.path);
      } catch (const std::exception&) {
        folder.skipped.push_back(f.relative + ": cannot be read");
        continue;
      }
      if (const auto it = by_hash.find(f.sha256); it != by_hash.end()) {
        auto& first = folder.files[it->second];
        if (negative != first.labels.empty()) {
          folder.skipped.push_back(f.relative + ": the same recording as " + first.relative +
                                   ", under a label and the negative class");
          continue;
        }
        if (!negative && std::find(first.labels.begin(), first.labels.end(), label) == first.labels.end()) {
          first.labels.push_back(label);
          folder.multi_label = true;
        } else {
          folder.skipped.push_back(f.relative + ": the same recording as " + first.relative);
        }
        continue;
      }
      if (label >= 0) f.labels.push_back(label);
      by_hash[f.sha256] = folder.files.size();
      folder.files.push_back(std::move(f));
    }
  }
  for (auto& f : folder.files) std::sort(f.labels.begin(), f.labels.end());
  return folder;
}

}  // namespace soundlens
