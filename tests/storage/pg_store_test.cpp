// The PostgreSQL store's own parts: recordings in 1 MB chunks written in the
// row's transaction, the local cache they are materialised into, versioned
// migrations (from an empty database, from the previous version, two
// processes at once), and connection errors that never show the password.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "pg_test_database.h"
#include "storage/analysis_store.h"
#include "storage/pg_db.h"
#include "storage/pg_schema.h"

namespace fs = std::filesystem;
using namespace soundlens;
using soundlens::testing::PgTestDatabase;

namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SOUNDLENS_NEED_POSTGRES();
    db_ = std::make_unique<PgTestDatabase>(*soundlens::testing::postgres_test_server());
    dir_ = fs::temp_directory_path() / ("soundlens-pg-" + db_->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::unique_ptr<AnalysisStore> open() { return open_postgres_store(db_->conninfo(), dir_.string()); }
  static NewAnalysis sample(const std::string& name) {
    return {name, "audio/wav", "mn04_as", R"({"top_k":5})", R"({"predictions":[]})"};
  }
  static std::vector<std::uint8_t> pattern(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::uint8_t((i * 7919) >> 3);  // every byte value, NULs too
    return bytes;
  }
  static std::vector<std::uint8_t> read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  int count(const std::string& sql) { return std::stoi(db_->scalar(sql)); }

  std::unique_ptr<PgTestDatabase> db_;
  fs::path dir_;
};

TEST_F(PgStoreTest, RecordingIsChunkedInTheDatabaseAndMaterialisedOnce) {
  auto store = open();
  const auto audio = pattern((5u << 20) / 2);  // 2.5 MB: three chunks
  const auto stored = store->insert(sample("long.wav"), audio);
  EXPECT_EQ(count("SELECT count(*) FROM audio_chunks WHERE analysis_id = '" + stored.id + "'"), 3);
  EXPECT_EQ(count("SELECT sum(length(bytes)) FROM audio_chunks"), int(audio.size()));
  EXPECT_FALSE(fs::exists(dir_ / "audio" / stored.id));  // nothing local until asked for
  const auto path = store->audio_path(stored.id);
  ASSERT_TRUE(path);
  EXPECT_EQ(read(*path), audio);
  // A second machine (another store, another cache directory) reads the same bytes.
  const fs::path other = dir_ / "other";
  auto second = open_postgres_store(db_->conninfo(), other.string());
  EXPECT_EQ(read(*second->audio_path(stored.id)), audio);
  // Removal takes the chunks with the row, and the local copies.
  EXPECT_TRUE(store->remove(stored.id));
  EXPECT_EQ(count("SELECT count(*) FROM audio_chunks"), 0);
  EXPECT_FALSE(fs::exists(*path));
}

TEST_F(PgStoreTest, WithoutAudioNothingIsStoredOrCached) {
  auto store = open();
  const auto stored = store->insert(sample("unkept.wav"), {});
  EXPECT_EQ(stored.audio_bytes, 0);
  EXPECT_EQ(count("SELECT count(*) FROM audio_chunks"), 0);
  const auto path = store->audio_path(stored.id);
  ASSERT_TRUE(path);  // as on SQLite: a path, and no file there
  EXPECT_FALSE(fs::exists(*path));
}

TEST_F(PgStoreTest, AFailedChunkLeavesNoRow) {
  auto store = open();
  // Refuse the third chunk, the way a full disk or a dropped connection would.
  db_->exec(R"sql(
    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.seq = 2 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse BEFORE INSERT ON audio_chunks FOR EACH ROW EXECUTE FUNCTION refuse();)sql");
  try {
    store->insert(sample("a.wav"), pattern(3u << 20));
    FAIL() << "insert should have thrown";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("SELECT count(*) FROM analyses"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audio_chunks"), 0);
  EXPECT_EQ(store->list(10, 0).total, 0);
  // The connection is usable afterwards.
  EXPECT_NO_THROW(store->insert(sample("b.wav"), pattern(100)));
}

TEST_F(PgStoreTest, RetentionRemovesRowsChunksAndWhatOtherMachinesCached) {
  auto store = open();
  const auto a = store->insert(sample("a.wav"), pattern(1000));
  const auto path = *store->audio_path(a.id);
  store->write_cache(a.id, "figure-0.png", pattern(10));
  // Another machine removes it: this one's copies go at its next sweep.
  auto other = open_postgres_store(db_->conninfo(), (dir_ / "other").string());
  EXPECT_EQ(other->remove_older_than(std::chrono::system_clock::now() + std::chrono::hours(1)), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audio_chunks"), 0);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(store->remove_older_than(std::chrono::system_clock::now() - std::chrono::hours(1)), 0);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(dir_ / "cache" / a.id));
}

TEST_F(PgStoreTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  open();
  const int latest = storage::pg::migrations().back().version;
  EXPECT_EQ(count("SELECT max(version) FROM schema_migrations"), latest);
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), int(storage::pg::migrations().size()));
  open();  // a second start applies nothing again
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), int(storage::pg::migrations().size()));
}

TEST_F(PgStoreTest, MigratesFromThePreviousVersionKeepingRows) {
  ASSERT_GE(storage::pg::migrations().size(), 2u);
  // Version 1 as a release that stopped there left it: its tables, one row, its recording.
  db_->exec(std::string(storage::pg::migrations()[0].sql) + R"sql(
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
    INSERT INTO schema_migrations (version) VALUES (1);
    INSERT INTO analyses (id, filename, content_type, model, created_at, audio_bytes, parameters, result, classes)
      VALUES ('0123456789abcdef0123456789abcdef', 'old.wav', 'audio/wav', 'mn04_as', '2026-11-01T00:00:00.000Z', 3,
              '{}', '{"predictions":[]}', '|329|train|');
    INSERT INTO audio_chunks VALUES ('0123456789abcdef0123456789abcdef', 0, '\x010203');)sql");
  EXPECT_EQ(count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"), 0);
  auto store = open();
  EXPECT_EQ(count("SELECT max(version) FROM schema_migrations"), storage::pg::migrations().back().version);
  EXPECT_EQ(count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"), 1);
  const auto old = store->get("0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->filename, "old.wav");
  EXPECT_EQ(store->list(10, 0, {.class_key = "train"}).total, 1);
  EXPECT_EQ(read(*store->audio_path(old->id)), (std::vector<std::uint8_t>{1, 2, 3}));
}

TEST_F(PgStoreTest, ProcessesStartingAtOnceMigrateOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      try {
        storage::pg::Connection connection(db_->conninfo());
        storage::pg::migrate(connection);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "migration " << i << ": " << e.what();
        ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), int(storage::pg::migrations().size()));
}

TEST(PgConnection, AnUnreachableServerIsOneLineWithoutThePassword) {
  const fs::path dir = fs::temp_directory_path() / "soundlens-pg-unreachable";
  try {
    // Port 1 on loopback: nothing listens there.
    open_postgres_store("postgresql://alice:s3cretpw@127.0.0.1:1/soundlens?connect_timeout=2", dir.string());
    FAIL() << "open should have thrown";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("s3cretpw"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("cannot connect to PostgreSQL postgresql://alice:***@127.0.0.1:1/soundlens"),
              std::string::npos)
        << message;
  }
  fs::remove_all(dir);
}

TEST(PgConnection, PasswordsAreRedactedInEveryForm) {
  using storage::pg::redact_conninfo;
  EXPECT_EQ(redact_conninfo("postgresql://u:pw@h:5432/db"), "postgresql://u:***@h:5432/db");
  EXPECT_EQ(redact_conninfo("postgres://u@h/db?password=pw&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(redact_conninfo("host=h password='p w' dbname=x"), "host=h password=*** dbname=x");
  EXPECT_EQ(redact_conninfo("postgresql://u@h/db"), "postgresql://u@h/db");
}

TEST_F(PgStoreTest, AMissingDatabaseIsAClearErrorWithoutThePassword) {
  // The test cluster trusts its socket, so a wrong password cannot be told apart here;
  // what is checked: the message names the database and never shows the password.
  const std::string conninfo =
      soundlens::testing::with_database(db_->conninfo(), "no_such_database_here");
  try {
    open_postgres_store(conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "password=wr0ngpw",
                        dir_.string());
    FAIL() << "open should have thrown";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("wr0ngpw"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("no_such_database_here"), std::string::npos) << message;
  }
}

}  // namespace
