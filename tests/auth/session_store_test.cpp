// Web sessions in SQLite: stored by token hash with the user's name and role,
// expiry computed by the store, sign-out, signing a user out everywhere; and
// passwords kept in the users' store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/password.h"
#include "auth/session_token.h"
#include "core/error.h"
#include "storage/auth_store.h"
#include "storage/session_store.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

class SessionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-sessions-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

SessionRecord session_for(std::int64_t user_id) {
  SessionRecord s;
  s.token_hash = auth::session_token_hash(auth::new_session_token());
  s.user_id = user_id;
  s.csrf_token = auth::new_session_token();
  return s;
}

}  // namespace

TEST_F(SessionStoreTest, SessionsAreFoundByTokenHashWithTheirUser) {
  auto users = open_sqlite_auth_store(dir_.string());
  const UserRecord ada = users->add_user("ada", "admin");
  auto sessions = open_sqlite_session_store(dir_.string());
  const SessionRecord added = sessions->add_session(session_for(ada.id), 3600);
  EXPECT_EQ(added.user_name, "ada");
  EXPECT_EQ(added.role, "admin");
  EXPECT_FALSE(added.expired);
  EXPECT_GT(added.expires_at, added.created_at);
  const auto found = sessions->find_session(added.token_hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->csrf_token, added.csrf_token);
  EXPECT_FALSE(sessions->find_session(auth::session_token_hash("another token")));
}

TEST_F(SessionStoreTest, ExpirySignOutAndSignOutEverywhere) {
  auto users = open_sqlite_auth_store(dir_.string());
  const UserRecord bo = users->add_user("bo", "member");
  auto sessions = open_sqlite_session_store(dir_.string());
  const SessionRecord old = sessions->add_session(session_for(bo.id), -10);
  EXPECT_TRUE(old.expired);
  const SessionRecord a = sessions->add_session(session_for(bo.id), 3600);  // also drops the expired one
  EXPECT_FALSE(sessions->find_session(old.token_hash));
  const SessionRecord b = sessions->add_session(session_for(bo.id), 3600);
  EXPECT_TRUE(sessions->delete_session(a.token_hash));
  EXPECT_FALSE(sessions->delete_session(a.token_hash));
  EXPECT_FALSE(sessions->find_session(a.token_hash));
  EXPECT_TRUE(sessions->find_session(b.token_hash));
  sessions->add_session(session_for(bo.id), 3600);
  EXPECT_EQ(sessions->delete_user_sessions(bo.id), 2);
  EXPECT_FALSE(sessions->find_session(b.token_hash));
}

TEST_F(SessionStoreTest, ASessionForAnUnknownUserIsRefusedAndNotKept) {
  auto sessions = open_sqlite_session_store(dir_.string());
  const SessionRecord s = session_for(999);
  EXPECT_THROW(sessions->add_session(s, 3600), Error);
  EXPECT_FALSE(sessions->find_session(s.token_hash));
}

TEST_F(SessionStoreTest, PasswordHashesAreKeptPerUser) {
  auto users = open_sqlite_auth_store(dir_.string());
  const UserRecord cy = users->add_user("cy", "member");
  EXPECT_FALSE(users->password_hash(cy.id));
  const std::string first = auth::hash_password("first password", 1000);
  users->set_password_hash(cy.id, first);
  EXPECT_EQ(users->password_hash(cy.id), first);
  const std::string second = auth::hash_password("second password", 1000);
  users->set_password_hash(cy.id, second);
  // Another connection (another process) sees the new one.
  EXPECT_EQ(open_sqlite_auth_store(dir_.string())->password_hash(cy.id), second);
}
