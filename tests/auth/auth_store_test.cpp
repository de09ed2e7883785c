// Users, keys and the audit log in SQLite and PostgreSQL; analyses' owners; the migration
// of a version-1 database; the install secret file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/install_secret.h"
#include "core/error.h"
#include "storage/analysis_store.h"
#include "storage/auth_store.h"
#include "pg_test_database.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

class AuthStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-auth-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs SQL on the database file directly, as another program would; returns SQLite's result code.
  int exec(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "soundlens.db").c_str(), &db), SQLITE_OK);
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  }
  std::int64_t user_version() {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "soundlens.db").c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
    sqlite3_step(stmt);
    const std::int64_t version = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return version;
  }

  KeyRecord key(const std::string& id, std::int64_t user, const std::string& scope = "write") {
    KeyRecord k;
    k.id = id;
    k.user_id = user;
    k.scope = scope;
    k.hash = std::string(64, 'a');
    return k;
  }

  fs::path dir_;
};

// The same behaviour on both backends: these run on SQLite and on PostgreSQL
// (a fresh database per test, see tests/support/pg_test_database.h).
enum class Backend { sqlite, postgres };

class AuthBackendTest : public AuthStoreTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    AuthStoreTest::SetUp();
    if (GetParam() == Backend::postgres) {
      SOUNDLENS_NEED_POSTGRES();
      pg_ = std::make_unique<soundlens::testing::PgTestDatabase>(*soundlens::testing::postgres_test_server());
    }
  }
  void TearDown() override {
    pg_.reset();
    AuthStoreTest::TearDown();
  }
  std::unique_ptr<AuthStore> open_auth() {
    if (GetParam() == Backend::sqlite) return open_sqlite_auth_store(dir_.string());
    return open_postgres_auth_store(pg_->conninfo());
  }
  std::unique_ptr<AnalysisStore> open_analyses() {
    if (GetParam() == Backend::sqlite) return open_sqlite_store(dir_.string());
    return open_postgres_store(pg_->conninfo(), dir_.string());
  }
  // Whether SQL run directly on the database (as another program would) succeeds.
  bool direct(const std::string& sql) {
    if (GetParam() == Backend::sqlite) return exec(sql) == SQLITE_OK;
    try {
      pg_->exec(sql);
      return true;
    } catch (const Error&) {
      return false;
    }
  }

  std::unique_ptr<soundlens::testing::PgTestDatabase> pg_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

TEST_P(AuthBackendTest, UsersAreUniqueAndPlainlyNamed) {
  auto store = open_auth();
  const UserRecord ann = store->add_user("ann", "member");
  const UserRecord root = store->add_user("root", "admin");
  EXPECT_NE(ann.id, root.id);
  EXPECT_EQ(store->find_user("ann")->role, "member");
  EXPECT_FALSE(store->find_user("bob"));
  EXPECT_THROW(store->add_user("ann", "admin"), Error);
  EXPECT_THROW(store->add_user("", "member"), Error);
  EXPECT_THROW(store->add_user("a b", "member"), Error);
  EXPECT_THROW(store->add_user("x'; DROP TABLE users; --", "member"), Error);
  EXPECT_THROW(store->add_user("eve", "superuser"), Error);  // the CHECK constraint
  EXPECT_EQ(store->list_users().size(), 2u);
}

TEST_P(AuthBackendTest, KeysAreFoundRevokedAndExpire) {
  auto store = open_auth();
  const auto ann = store->add_user("ann", "member");
  const KeyRecord forever = store->add_key(key("00000000000000a1", ann.id), std::nullopt);
  EXPECT_FALSE(forever.expires_at);
  EXPECT_FALSE(forever.expired);
  EXPECT_EQ(forever.user_name, "ann");
  EXPECT_EQ(forever.role, "member");
  const KeyRecord month = store->add_key(key("00000000000000a2", ann.id, "read"), 30);
  ASSERT_TRUE(month.expires_at);
  EXPECT_GT(*month.expires_at, month.created_at);
  EXPECT_FALSE(month.expired);
  const KeyRecord now = store->add_key(key("00000000000000a3", ann.id), 0);  // expires at once
  EXPECT_TRUE(store->find_key(now.id)->expired);

  EXPECT_TRUE(store->revoke_key(forever.id));
  EXPECT_FALSE(store->revoke_key(forever.id));  // already
  EXPECT_FALSE(store->revoke_key("ffffffffffffffff"));
  EXPECT_TRUE(store->find_key(forever.id)->revoked_at);
  EXPECT_FALSE(store->find_key("ffffffffffffffff"));
  EXPECT_EQ(store->list_keys().size(), 3u);
}

TEST_P(AuthBackendTest, AuditIsAppendOnly) {
  auto store = open_auth();
  AuditRecord r;
  r.user_id = 3;
  r.user_name = "ann";
  r.action = "create";
  r.analysis_id = "0123456789abcdef0123456789abcdef";
  store->append_audit(r);
  r.user_id.reset();
  r.action = "delete";
  store->append_audit(r);
  const AuditPage page = store->list_audit(10, 0);
  ASSERT_EQ(page.total, 2);
  EXPECT_EQ(page.items[0].action, "delete");  // newest first
  EXPECT_FALSE(page.items[0].user_id);
  EXPECT_EQ(page.items[1].user_id, 3);
  EXPECT_FALSE(page.items[1].at.empty());
  // Not even a direct connection can change or remove a row.
  EXPECT_FALSE(direct("UPDATE audit SET action = 'read_audio'"));
  EXPECT_FALSE(direct("DELETE FROM audit"));
  EXPECT_EQ(store->list_audit(10, 0).total, 2);
}

TEST_P(AuthBackendTest, AnalysesHaveOwnersAndListsFilterByThem) {
  auto analyses = open_analyses();
  auto users = open_auth();  // the same database, beside a running store
  const auto ann = users->add_user("ann", "member");
  const auto bob = users->add_user("bob", "member");
  const std::vector<std::uint8_t> audio{1, 2, 3};
  NewAnalysis a{"a.wav", "audio/wav", "mn04_as", "{}", "{}"};
  a.owner = ann.id;
  NewAnalysis b = a;
  b.owner = bob.id;
  NewAnalysis anonymous = a;
  anonymous.owner.reset();
  const auto stored_a = analyses->insert(a, audio);
  analyses->insert(b, audio);
  analyses->insert(b, audio);
  analyses->insert(anonymous, audio);
  EXPECT_EQ(analyses->get(stored_a.id)->owner, ann.id);
  EXPECT_EQ(analyses->list(10, 0).total, 4);
  const auto anns = analyses->list(10, 0, {.owner = ann.id});
  ASSERT_EQ(anns.total, 1);
  ASSERT_EQ(anns.items.size(), 1u);
  EXPECT_EQ(anns.items[0].id, stored_a.id);
  EXPECT_EQ(anns.items[0].owner, ann.id);
  EXPECT_EQ(analyses->list(1, 1, {.owner = bob.id}).items.size(), 1u);
  EXPECT_EQ(analyses->list(10, 0, {.owner = bob.id}).total, 2);
  EXPECT_EQ(analyses->list(10, 0, {.owner = 999}).total, 0);
}

TEST_F(AuthStoreTest, AVersionOneDatabaseMigratesToOwnersAndAuthTables) {
  fs::create_directories(dir_ / "audio");
  ASSERT_EQ(exec(R"sql(
    CREATE TABLE analyses (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, filename TEXT NOT NULL,
      content_type TEXT NOT NULL, model TEXT NOT NULL, created_at TEXT NOT NULL,
      audio_bytes INTEGER NOT NULL, parameters TEXT NOT NULL, result TEXT NOT NULL, duration_s REAL,
      top_class INTEGER NOT NULL DEFAULT -1, predictions TEXT NOT NULL DEFAULT '');
    INSERT INTO analyses (id, filename, content_type, model, created_at, audio_bytes, parameters, result,
      duration_s, top_class, predictions) VALUES
      ('0123456789abcdef0123456789abcdef', 'old.wav', 'audio/wav', 'mn04_as', '2026-11-01T00:00:00.000Z', 5, '{}',
       '{}', 10.5, 329, '[]');
    PRAGMA user_version = 1;
  )sql"), SQLITE_OK);
  std::ofstream(dir_ / "audio" / "0123456789abcdef0123456789abcdef") << "audio";

  auto analyses = open_sqlite_store(dir_.string());
  EXPECT_EQ(user_version(), 4);  // 4: the event reviews
  const auto old = analyses->get("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->owner);  // created before accounts: nobody's
  EXPECT_EQ(old->duration_s, 10.5);
  EXPECT_EQ(old->top_class, 329);
  EXPECT_EQ(analyses->list(10, 0, {.owner = 1}).total, 0);
  // The auth tables exist (the audit triggers too), and the store works on them.
  EXPECT_EQ(exec("SELECT id, name, role FROM users; SELECT id, hash FROM api_keys; SELECT seq FROM audit;"),
            SQLITE_OK);
  auto users = open_sqlite_auth_store(dir_.string());
  const auto ann = users->add_user("ann", "member");
  NewAnalysis mine{"new.wav", "audio/wav", "mn04_as", "{}", "{}"};
  mine.owner = ann.id;
  analyses->insert(mine, std::vector<std::uint8_t>{1});
  EXPECT_EQ(analyses->list(10, 0, {.owner = ann.id}).total, 1);
  // Opening again does not migrate again.
  analyses.reset();
  analyses = open_sqlite_store(dir_.string());
  EXPECT_EQ(analyses->list(10, 0).total, 2);
  EXPECT_EQ(user_version(), 4);  // 4: the event reviews
}

TEST_F(AuthStoreTest, ADatabaseTheCliMadeFirstGetsTheAnalysesSchema) {
  {
    auto users = open_sqlite_auth_store(dir_.string());
    users->add_user("root", "admin");
  }
  auto analyses = open_sqlite_store(dir_.string());
  NewAnalysis a{"a.wav", "audio/wav", "mn04_as", "{}", "{}"};
  a.owner = 1;
  analyses->insert(a, std::vector<std::uint8_t>{1});
  EXPECT_EQ(analyses->list(10, 0, {.owner = 1}).total, 1);
  EXPECT_EQ(open_sqlite_auth_store(dir_.string())->list_users().size(), 1u);
}

TEST_F(AuthStoreTest, InstallSecretIsCreatedOncePrivately) {
  const std::string first = auth::load_or_create_install_secret(dir_.string());
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(auth::load_or_create_install_secret(dir_.string()), first);
  struct stat info{};
  ASSERT_EQ(::stat((dir_ / "auth.secret").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  std::ofstream(dir_ / "auth.secret", std::ios::trunc) << "short\n";
  EXPECT_THROW(auth::load_or_create_install_secret(dir_.string()), Error);
}

TEST_F(AuthStoreTest, OnPostgresTheInstallSecretIsStoredOnceForEveryMachine) {
  SOUNDLENS_NEED_POSTGRES();
  soundlens::testing::PgTestDatabase db(*soundlens::testing::postgres_test_server());
  const std::string first(64, 'a'), second(64, 'b');
  EXPECT_EQ(postgres_install_secret(db.conninfo(), first), first);
  EXPECT_EQ(postgres_install_secret(db.conninfo(), second), first);  // another machine gets the first one
  EXPECT_EQ(db.scalar("SELECT count(*) FROM settings"), "1");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthBackendTest, ::testing::Values(Backend::sqlite, Backend::postgres),
                         backend_name);

}  // namespace
