// Issuing keys (auth/accounts.h): what `soundlens keys add` and the tests' servers do.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/accounts.h"
#include "auth/keys.h"
#include "core/error.h"
#include "storage/auth_store.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-accounts-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    store_ = open_sqlite_auth_store(dir_.string());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::unique_ptr<AuthStore> store_;
};

TEST_F(AccountsTest, IssuedKeyIsStoredAsItsHashOnlyAndNamesItsUser) {
  const auto user = store_->add_user("ann", "member");
  const auto issued = auth::issue_key(*store_, "install-secret", "ann", auth::Scope::read, 7);
  const auto parts = auth::parse_key(issued.text);
  ASSERT_TRUE(parts);
  EXPECT_EQ(issued.record.id, parts->id);
  EXPECT_EQ(issued.record.user_id, user.id);
  EXPECT_EQ(issued.record.scope, "read");
  EXPECT_EQ(issued.record.hash, auth::hash_secret("install-secret", parts->secret));
  EXPECT_EQ(issued.text.find(issued.record.hash), std::string::npos);
  const auto stored = store_->find_key(parts->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->hash, issued.record.hash);
  // Another install's secret gives another hash: a stolen database alone does not verify keys.
  EXPECT_NE(auth::hash_secret("other-secret", parts->secret), stored->hash);
}

TEST_F(AccountsTest, UnknownUserIsRefusedNamingTheUser) {
  try {
    auth::issue_key(*store_, "install-secret", "nobody", auth::Scope::write, std::nullopt);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_NE(std::string(e.what()).find("nobody"), std::string::npos);
  }
  EXPECT_TRUE(store_->list_keys().empty());
}

}  // namespace
