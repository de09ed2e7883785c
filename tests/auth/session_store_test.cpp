// Web sessions on both backends (SQLite and PostgreSQL): stored by token hash with the user's name and role,
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
#include "pg_test_database.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

enum class Backend { sqlite, postgres };

class SessionStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& c : name)
      if (c == '/') c = '-';
    dir_ = fs::temp_directory_path() / ("soundlens-sessions-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    if (GetParam() == Backend::postgres) {
      SOUNDLENS_NEED_POSTGRES();
      pg_ = std::make_unique<soundlens::testing::PgTestDatabase>(*soundlens::testing::postgres_test_server());
    }
  }
  void TearDown() override {
    pg_.reset();
    fs::remove_all(dir_);
  }
  std::unique_ptr<AuthStore> open_users() {
    if (GetParam() == Backend::sqlite) return open_sqlite_auth_store(dir_.string());
    return open_postgres_auth_store(pg_->conninfo());
  }
  std::unique_ptr<SessionStore> open_sessions() {
    if (GetParam() == Backend::sqlite) return open_sqlite_session_store(dir_.string());
    return open_postgres_session_store(pg_->conninfo());
  }
  fs::path dir_;
  std::unique_ptr<soundlens::testing::PgTestDatabase> pg_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

SessionRecord session_for(std::int64_t user_id) {
  SessionRecord s;
  s.token_hash = auth::session_token_hash(auth::new_session_token());
  s.user_id = user_id;
  s.csrf_token = auth::new_session_token();
  return s;
}

}  // namespace

TEST_P(SessionStoreTest, SessionsAreFoundByTokenHashWithTheirUser) {
  auto users = open_users();
  const UserRecord ada = users->add_user("ada", "admin");
  auto sessions = open_sessions();
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

TEST_P(SessionStoreTest, ExpirySignOutAndSignOutEverywhere) {
  auto users = open_users();
  const UserRecord bo = users->add_user("bo", "member");
  auto sessions = open_sessions();
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

TEST_P(SessionStoreTest, ASessionForAnUnknownUserIsRefusedAndNotKept) {
  auto sessions = open_sessions();
  const SessionRecord s = session_for(999);
  EXPECT_THROW(sessions->add_session(s, 3600), Error);
  EXPECT_FALSE(sessions->find_session(s.token_hash));
}

TEST_P(SessionStoreTest, PasswordHashesAreKeptPerUser) {
  auto users = open_users();
  const UserRecord cy = users->add_user("cy", "member");
  EXPECT_FALSE(users->password_hash(cy.id));
  const std::string first = auth::hash_password("first password", 1000);
  users->set_password_hash(cy.id, first);
  EXPECT_EQ(users->password_hash(cy.id), first);
  const std::string second = auth::hash_password("second password", 1000);
  users->set_password_hash(cy.id, second);
  // Another connection (another process) sees the new one.
  EXPECT_EQ(open_users()->password_hash(cy.id), second);
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionStoreTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_name);
