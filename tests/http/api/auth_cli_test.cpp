// The account commands of the real program: a key is printed once, alone on
// the last line; the database holds no plain key; keys work against a real
// `soundlens serve --auth required`, and stop working when revoked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "auth/keys.h"
#include "serve_child.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {
namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;
};

CliRun run(const std::string& arguments) {
  CliRun r;
  FILE* pipe = ::popen((soundlens_binary() + " " + arguments + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  r.status = ::pclose(pipe);
  return r;
}

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto at = trimmed.rfind('\n');
  return at == std::string::npos ? trimmed : trimmed.substr(at + 1);
}

std::string bytes_of_dir(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

class AuthCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-auth-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string data() const { return " --data-dir '" + dir_.string() + "'"; }
  fs::path dir_;
};

TEST_F(AuthCliTest, KeysArePrintedOnceOnTheLastLineAndStoredOnlyAsHashes) {
  const CliRun admin = run("users add root --role admin" + data());
  ASSERT_EQ(admin.status, 0) << admin.out;
  const std::string admin_key = last_line(admin.out);
  ASSERT_TRUE(auth::parse_key(admin_key)) << admin.out;

  ASSERT_EQ(run("users add ann" + data()).status, 0);
  const CliRun read_only = run("keys create --user ann --scope read --expires-days 30" + data());
  ASSERT_EQ(read_only.status, 0) << read_only.out;
  const std::string read_key = last_line(read_only.out);
  const auto parts = auth::parse_key(read_key);
  ASSERT_TRUE(parts) << read_only.out;
  EXPECT_EQ(read_only.out.find(read_key), read_only.out.size() - read_key.size() - 1);  // once, at the end

  EXPECT_NE(run("keys create --user nobody" + data()).status, 0);
  EXPECT_NE(run("users add ann" + data()).status, 0);  // taken
  EXPECT_NE(run("users add eve --role root" + data()).status, 0);
  EXPECT_NE(run("keys create --user ann --scope everything" + data()).status, 0);

  const CliRun users = run("users list" + data());
  EXPECT_NE(users.out.find("root\tadmin"), std::string::npos) << users.out;
  EXPECT_NE(users.out.find("ann\tmember"), std::string::npos) << users.out;
  const CliRun keys = run("keys list" + data());
  EXPECT_NE(keys.out.find(parts->id), std::string::npos) << keys.out;
  EXPECT_EQ(keys.out.find(parts->secret), std::string::npos);

  // Neither a key nor its secret part is anywhere in the data directory (database, WAL, secret file).
  const std::string stored = bytes_of_dir(dir_);
  ASSERT_FALSE(stored.empty());
  for (const std::string& key : {admin_key, read_key}) {
    EXPECT_EQ(stored.find(key), std::string::npos);
    EXPECT_EQ(stored.find(auth::parse_key(key)->secret), std::string::npos);
  }

  // The keys work against the real server, and a revoked one stops working.
  ServeChild server(soundlens_binary(), {"--data-dir", dir_.string(), "--model-dir", models_dir(), "--log-format",
                                         "off", "--auth", "required"});
  auto c = server.client();
  EXPECT_EQ(c.Get("/api/v1/analyses")->status, 401);
  EXPECT_EQ(c.Get("/api/v1/analyses", {{"Authorization", "Bearer " + read_key}})->status, 200);
  EXPECT_EQ(c.Get("/api/v1/audit", {{"Authorization", "Bearer " + read_key}})->status, 403);
  EXPECT_EQ(c.Get("/api/v1/audit", {{"Authorization", "Bearer " + admin_key}})->status, 200);
  const CliRun revoke = run("keys revoke " + parts->id + data());  // while the server runs
  ASSERT_EQ(revoke.status, 0) << revoke.out;
  EXPECT_EQ(c.Get("/api/v1/analyses", {{"Authorization", "Bearer " + read_key}})->status, 401);
  EXPECT_NE(run("keys revoke " + parts->id + data()).status, 0);  // already revoked
}

TEST_F(AuthCliTest, AutoRequiresKeysOffLoopbackOnly) {
  {
    ServeChild local(soundlens_binary(), {"--data-dir", dir_.string(), "--model-dir", models_dir(), "--log-format",
                                          "off"});
    auto c = local.client();
    EXPECT_EQ(nlohmann::json::parse(c.Get("/health")->body)["auth"], "off");
    EXPECT_EQ(c.Get("/api/v1/analyses")->status, 200);
  }
  ServeChild open(soundlens_binary(), {"--host", "0.0.0.0", "--data-dir", dir_.string(), "--model-dir", models_dir(),
                                       "--log-format", "off"});
  auto c = open.client();
  EXPECT_EQ(nlohmann::json::parse(c.Get("/health")->body)["auth"], "required");
  EXPECT_EQ(c.Get("/api/v1/analyses")->status, 401);
}

}  // namespace
}  // namespace soundlens::test
