// resolve_web_path: every form of escaping the web root from the issue, and
// the ordinary names of the static export.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/server/web_path.h"

namespace fs = std::filesystem;
using soundlens::http::resolve_web_path;

namespace {

class WebPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("soundlens-webpath-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    root_ = base_ / "out";
    fs::create_directories(root_ / "_next" / "static");
    fs::create_directories(root_ / "analyses");
    std::ofstream(root_ / "index.html") << "index";
    std::ofstream(root_ / "history.html") << "history";
    std::ofstream(root_ / "analyses" / "index.html") << "analyses";
    std::ofstream(root_ / "_next" / "static" / "app.js") << "js";
    std::ofstream(root_ / ".env") << "hidden";
    std::ofstream(base_ / "secret.txt") << "secret";
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    fs::create_symlink(base_, root_ / "up");
    fs::create_symlink("/etc", root_ / "etc");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::optional<fs::path> resolve(std::string_view url) const { return resolve_web_path(root_, url); }
  fs::path in_root(const fs::path& relative) const { return fs::canonical(root_) / relative; }

  fs::path base_, root_;
};

TEST_F(WebPathTest, OrdinaryNamesOfTheExport) {
  EXPECT_EQ(resolve("/"), in_root("index.html"));
  EXPECT_EQ(resolve("/index.html"), in_root("index.html"));
  EXPECT_EQ(resolve("/history"), in_root("history.html"));
  EXPECT_EQ(resolve("/analyses"), in_root("analyses/index.html"));
  EXPECT_EQ(resolve("/analyses/"), in_root("analyses/index.html"));
  EXPECT_EQ(resolve("/_next/static/app.js"), in_root("_next/static/app.js"));
  EXPECT_FALSE(resolve("/missing.js"));
  EXPECT_FALSE(resolve("/_next"));  // a directory without index.html
}

TEST_F(WebPathTest, AbsoluteAndEmptySegmentsAreRefused) {
  EXPECT_FALSE(resolve("//etc/passwd"));
  EXPECT_FALSE(resolve("//etc/hostname"));  // what /%2Fetc%2Fhostname decodes to
  EXPECT_FALSE(resolve(("/" + (base_ / "secret.txt").string())));
  EXPECT_FALSE(resolve("/_next//static/app.js"));
  EXPECT_FALSE(resolve("etc/passwd"));  // not a path from a URL
  EXPECT_FALSE(resolve(""));
}

TEST_F(WebPathTest, DotSegmentsBackslashesNulAndEncodingsAreRefused) {
  EXPECT_FALSE(resolve("/../secret.txt"));
  EXPECT_FALSE(resolve("/../"));  // what /..%2f decodes to
  EXPECT_FALSE(resolve("/.."));
  EXPECT_FALSE(resolve("/_next/../index.html"));
  EXPECT_FALSE(resolve("/./index.html"));
  EXPECT_FALSE(resolve("/.env"));
  EXPECT_FALSE(resolve("/..\\secret.txt"));
  EXPECT_FALSE(resolve("/_next\\static\\app.js"));
  EXPECT_FALSE(resolve(std::string_view("/index.html\0.png", 16)));
  EXPECT_FALSE(resolve(std::string_view("/index.html\0", 12)));
  EXPECT_FALSE(resolve("/%2e%2e/secret.txt"));  // decoded twice would climb
  EXPECT_FALSE(resolve("/%2Fetc%2Fpasswd"));
  EXPECT_FALSE(resolve("/index.html\n"));
}

TEST_F(WebPathTest, SymlinksOutOfTheRootAreRefused) {
  EXPECT_FALSE(resolve("/link.txt"));
  EXPECT_FALSE(resolve("/up/secret.txt"));
  EXPECT_FALSE(resolve("/etc/passwd"));
  EXPECT_FALSE(resolve("/etc/hostname"));
}

TEST_F(WebPathTest, ASymlinkedRootIsFollowedOnce) {
  const fs::path alias = base_ / "alias";
  fs::create_symlink(root_, alias);
  EXPECT_EQ(resolve_web_path(alias, "/history"), in_root("history.html"));
  EXPECT_FALSE(resolve_web_path(alias, "/link.txt"));
}

TEST_F(WebPathTest, AMissingRootServesNothing) {
  EXPECT_FALSE(resolve_web_path(base_ / "nowhere", "/index.html"));
}

}  // namespace
