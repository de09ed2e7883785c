// The static web route's path check: whatever the URL path, a file it returns
// lies under the canonical web root. The root holds a file, a folder, a
// symlink to a file outside and a symlink to a folder outside, so escapes
// through each of them would be seen.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "http/server/web_path.h"

namespace fs = std::filesystem;

namespace {

struct Tree {
  fs::path base, root;
  Tree() {
    base = fs::temp_directory_path() / ("soundlens-web-path-fuzz-" + std::to_string(::getpid()));
    root = base / "root";
    fs::create_directories(root / "_next" / "static");
    fs::create_directories(base / "outside");
    std::ofstream(root / "index.html") << "index";
    std::ofstream(root / "history.html") << "history";
    std::ofstream(root / "_next" / "static" / "app.js") << "js";
    std::ofstream(base / "outside" / "secret.txt") << "secret";
    std::ofstream(base / "secret.txt") << "secret";
    std::error_code ignored;
    fs::create_symlink(base / "secret.txt", root / "link.txt", ignored);
    fs::create_directory_symlink(base / "outside", root / "up", ignored);
    root = fs::canonical(root);
  }
};

bool under(const fs::path& root, const fs::path& p) {
  const auto r = root.string() + "/";
  return p.string().rfind(r, 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Tree tree;
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  try {
    const auto found = soundlens::http::resolve_web_path(tree.root, url);
    if (found && (!under(tree.root, *found) || !under(tree.root, fs::canonical(*found)))) std::abort();
  } catch (const std::filesystem::filesystem_error&) {
    std::abort();  // the check must answer, not throw
  }
  return 0;
}
