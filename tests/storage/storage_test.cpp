// AnalysisStore on SQLite and PostgreSQL: atomic inserts, newest-first paging, deletion of
// every trace, survival across reopen, and cleanup of leftovers after a crash.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.h"
#include "storage/analysis_store.h"
#include "pg_test_database.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("soundlens-storage-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static NewAnalysis sample(const std::string& name) {
    return {name, "audio/wav", "mn04_as", R"({"top_k":5})", R"({"predictions":[]})"};
  }
  static std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }
  std::size_t files_in(const std::string& sub) const {
    std::size_t n = 0;
    for (auto& e : fs::recursive_directory_iterator(dir_ / sub)) n += e.is_regular_file();
    return n;
  }

  fs::path dir_;
};


// The same behaviour on both backends: each test below runs on SQLite and on
// PostgreSQL (a fresh database per test, see tests/support/pg_test_database.h).
enum class Backend { sqlite, postgres };

class StoreTest : public StorageTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (GetParam() == Backend::postgres) {
      SOUNDLENS_NEED_POSTGRES();
      pg_ = std::make_unique<soundlens::testing::PgTestDatabase>(*soundlens::testing::postgres_test_server());
    }
  }
  void TearDown() override {
    pg_.reset();
    StorageTest::TearDown();
  }
  // The store under test; PostgreSQL keeps its local cache where SQLite keeps its files.
  std::unique_ptr<AnalysisStore> open() {
    if (GetParam() == Backend::sqlite) return open_sqlite_store(dir_.string());
    return open_postgres_store(pg_->conninfo(), dir_.string());
  }
  bool postgres() const { return GetParam() == Backend::postgres; }

  std::unique_ptr<soundlens::testing::PgTestDatabase> pg_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

TEST_P(StoreTest, InsertGetAndAudio) {
  auto store = open();
  const auto stored = store->insert(sample("a.wav"), bytes("RIFFdata"));
  EXPECT_EQ(stored.id.size(), 32u);
  EXPECT_EQ(stored.audio_bytes, 8);
  EXPECT_TRUE(stored.created_at.ends_with("Z"));
  const auto got = store->get(stored.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->filename, "a.wav");
  EXPECT_EQ(got->result_json, R"({"predictions":[]})");
  EXPECT_EQ(got->parameters_json, R"({"top_k":5})");
  const auto path = store->audio_path(stored.id);
  ASSERT_TRUE(path);
  std::ifstream in(*path, std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "RIFFdata");
  EXPECT_FALSE(store->get("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(store->get("../../etc/passwd"));
  EXPECT_FALSE(store->audio_path("nope"));
}

TEST_P(StoreTest, ListsNewestFirstWithPaging) {
  auto store = open();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(store->insert(sample("f" + std::to_string(i)), bytes("x")).id);
  auto page = store->list(2, 0);
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, ids[4]);
  EXPECT_EQ(page.items[1].id, ids[3]);
  page = store->list(10, 4);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, ids[0]);
  EXPECT_TRUE(store->list(10, 5).items.empty());
  EXPECT_TRUE(store->list(10, std::int64_t(1) << 32).items.empty());  // not wrapped around to 0
  EXPECT_EQ(store->list(10, std::int64_t(1) << 40).total, 5);
}

TEST_P(StoreTest, RemoveDeletesRowAudioAndCache) {
  auto store = open();
  const auto id = store->insert(sample("a.wav"), bytes("abc")).id;
  store->write_cache(id, "figure-47.png", bytes("png"));
  ASSERT_EQ(store->read_cache(id, "figure-47.png"), bytes("png"));
  EXPECT_TRUE(store->remove(id));
  EXPECT_FALSE(store->get(id));
  EXPECT_FALSE(store->read_cache(id, "figure-47.png"));
  EXPECT_EQ(files_in("audio"), 0u);
  EXPECT_EQ(files_in("cache"), 0u);
  EXPECT_FALSE(store->remove(id));
}

TEST_P(StoreTest, CacheRejectsUnsafeKeysAndUnknownIds) {
  auto store = open();
  const auto id = store->insert(sample("a.wav"), bytes("abc")).id;
  EXPECT_THROW(store->write_cache(id, "../escape", bytes("x")), Error);
  EXPECT_FALSE(store->read_cache(id, "../escape"));
  store->write_cache("0123456789abcdef0123456789abcdef", "k", bytes("x"));  // no row: ignored
  EXPECT_EQ(files_in("cache"), 0u);
}

TEST_P(StoreTest, SurvivesReopen) {
  std::string id;
  {
    auto store = open();
    id = store->insert(sample("kept.flac"), bytes("flac")).id;
  }
  auto store = open();
  const auto got = store->get(id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->filename, "kept.flac");
  EXPECT_EQ(store->list(10, 0).total, 1);
}

TEST_F(StorageTest, OpenRemovesLeftoversOfAnInterruptedRun) {
  std::string id;
  {
    auto store = open_sqlite_store(dir_.string());
    id = store->insert(sample("kept.wav"), bytes("kept")).id;
  }
  std::ofstream(dir_ / "audio" / ".tmp-halfwritten") << "partial";
  std::ofstream(dir_ / "audio" / "0123456789abcdef0123456789abcdef") << "orphan";
  fs::create_directories(dir_ / "cache" / "fedcba9876543210fedcba9876543210");
  std::ofstream(dir_ / "cache" / "fedcba9876543210fedcba9876543210" / "f.png") << "orphan";
  fs::create_directories(dir_ / "cache" / id);
  std::ofstream(dir_ / "cache" / id / ".tmp-x") << "partial";
  auto store = open_sqlite_store(dir_.string());
  EXPECT_EQ(files_in("audio"), 1u);
  EXPECT_EQ(files_in("cache"), 0u);
  EXPECT_TRUE(fs::exists(dir_ / "audio" / id));
}

TEST_F(StorageTest, FailedInsertLeavesNothingBehind) {
  auto store = open_sqlite_store(dir_.string());
  // Make the database refuse the row the way a full disk or a constraint would.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "soundlens.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER refuse BEFORE INSERT ON analyses "
                         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  try {
    store->insert(sample("a.wav"), bytes("audio"));
    FAIL() << "insert should have thrown";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos);
  }
  EXPECT_EQ(files_in("audio"), 0u);
  EXPECT_EQ(store->list(10, 0).total, 0);
}

TEST_P(StoreTest, ListReadsOnlyTheSummaryColumns) {
  auto store = open();
  NewAnalysis record = sample("big.wav");
  // A result of 20 MB that is not even JSON: listing must neither read nor parse it.
  record.result_json = "{" + std::string(20u << 20, '[');
  record.duration_s = 3600.5;
  record.predictions_json = R"([{"index":137,"label":"Music","probability":0.9}])";
  const auto stored = store->insert(record, bytes("audio"));
  EXPECT_EQ(stored.top_class, 137);
  const auto page = store->list(10, 0);
  ASSERT_EQ(page.items.size(), 1u);
  const auto& item = page.items[0];
  EXPECT_TRUE(item.result_json.empty());
  EXPECT_EQ(item.duration_s, 3600.5);
  EXPECT_EQ(item.predictions_json, record.predictions_json);
  EXPECT_EQ(item.top_class, 137);
  EXPECT_EQ(store->get(stored.id)->result_json.size(), record.result_json.size());  // get() still has it all
  EXPECT_EQ(store->get(stored.id)->top_class, 137);
}

TEST_F(StorageTest, AnOlderDatabaseGetsTheSummaryColumnsFilledIn) {
  fs::create_directories(dir_ / "audio");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "soundlens.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, R"sql(
    CREATE TABLE analyses (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, filename TEXT NOT NULL,
      content_type TEXT NOT NULL, model TEXT NOT NULL, created_at TEXT NOT NULL,
      audio_bytes INTEGER NOT NULL, parameters TEXT NOT NULL, result TEXT NOT NULL);
    INSERT INTO analyses (id, filename, content_type, model, created_at, audio_bytes, parameters, result) VALUES
      ('0123456789abcdef0123456789abcdef', 'old.wav', 'audio/wav', 'mn04_as', '2026-11-01T00:00:00.000Z', 5, '{}',
       '{"duration_s": 10.25, "predictions": [{"index": 329, "label": "Train", "probability": 0.73}], "x": 1}'),
      ('fedcba9876543210fedcba9876543210', 'broken.wav', 'audio/wav', 'mn04_as', '2026-11-02T00:00:00.000Z', 5, '{}',
       'not json');
  )sql", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::ofstream(dir_ / "audio" / "0123456789abcdef0123456789abcdef") << "audio";
  std::ofstream(dir_ / "audio" / "fedcba9876543210fedcba9876543210") << "audio";

  auto store = open_sqlite_store(dir_.string());
  const auto page = store->list(10, 0);
  ASSERT_EQ(page.items.size(), 2u);
  const auto& broken = page.items[0];  // newest first
  EXPECT_EQ(broken.filename, "broken.wav");
  EXPECT_FALSE(broken.duration_s);
  EXPECT_TRUE(broken.predictions_json.empty());
  EXPECT_EQ(broken.top_class, -1);
  const auto& old = page.items[1];
  EXPECT_EQ(old.duration_s, 10.25);
  EXPECT_EQ(old.predictions_json, R"([{"index":329,"label":"Train","probability":0.73}])");
  EXPECT_EQ(old.top_class, 329);
  // Its classes were filled in from its result: the history finds it by class.
  EXPECT_EQ(store->list(10, 0, {.class_key = "train"}).total, 1);
  EXPECT_EQ(store->list(10, 0, {.class_key = "329"}).total, 1);
  EXPECT_EQ(store->list(10, 0, {.class_key = "32"}).total, 0);
  EXPECT_TRUE(old.labels.empty());
  EXPECT_EQ(old.note, "");
  // The new schema works for new rows too, and a second open does not migrate again.
  store->insert(sample("new.wav"), bytes("x"));
  store.reset();
  store = open_sqlite_store(dir_.string());
  EXPECT_EQ(store->list(10, 0).total, 3);
}

TEST_P(StoreTest, FiltersByTextClassLabelAndDate) {
  auto store = open();
  NewAnalysis cough = sample("Night-12.wav");
  cough.classes = "|47|cough|0|speech|";
  const auto a = store->insert(cough, bytes("a"));
  NewAnalysis train = sample("metro.wav");
  train.classes = "|329|train|";
  const auto b = store->insert(train, bytes("b"));
  ASSERT_TRUE(store->update_notes(b.id, {.note = "Ward 3, bed 12", .labels = std::vector<std::string>{"P-0042", "night"}}));
  const auto ids = [](const AnalysisPage& page) {
    std::vector<std::string> out;
    for (const auto& item : page.items) out.push_back(item.id);
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids(store->list(10, 0, {.text = "night"})), (Ids{b.id, a.id}));  // b's label, a's name (any case)
  EXPECT_EQ(ids(store->list(10, 0, {.text = "bed 12"})), Ids{b.id});         // the note
  EXPECT_EQ(ids(store->list(10, 0, {.text = "%"})), Ids{});                   // no wildcards
  EXPECT_EQ(ids(store->list(10, 0, {.class_key = "Cough"})), Ids{a.id});
  EXPECT_EQ(ids(store->list(10, 0, {.class_key = "0"})), Ids{a.id});
  EXPECT_EQ(ids(store->list(10, 0, {.class_key = "cou"})), Ids{});           // whole names only
  EXPECT_EQ(ids(store->list(10, 0, {.label = "P-0042"})), Ids{b.id});
  EXPECT_EQ(ids(store->list(10, 0, {.label = "p-0042"})), Ids{});             // labels are exact
  const std::string today = a.created_at.substr(0, 10);
  EXPECT_EQ(store->list(10, 0, {.from_date = today, .to_date = today}).total, 2);
  EXPECT_EQ(store->list(10, 0, {.to_date = "2000-01-01"}).total, 0);
  EXPECT_EQ(store->list(10, 0, {.from_date = "2999-01-01"}).total, 0);
  EXPECT_EQ(store->list(1, 0, {.text = "night"}).total, 2);  // the total counts every match
}

TEST_P(StoreTest, NotesAndLabelsAreUpdatedAloneAndSurviveReopen) {
  auto store = open();
  const auto a = store->insert(sample("a.wav"), bytes("a"));
  auto updated = store->update_notes(a.id, {.note = "first"});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->note, "first");
  EXPECT_TRUE(updated->labels.empty());
  updated = store->update_notes(a.id, {.labels = std::vector<std::string>{"x", "\"quoted\" \xc3\xa9"}});
  EXPECT_EQ(updated->note, "first");  // kept
  EXPECT_EQ(updated->labels, (std::vector<std::string>{"x", "\"quoted\" \xc3\xa9"}));
  EXPECT_FALSE(store->update_notes("0123456789abcdef0123456789abcdef", {.note = "x"}));
  EXPECT_FALSE(store->update_notes("../x", {.note = "x"}));
  store.reset();
  store = open();
  EXPECT_EQ(store->get(a.id)->labels.size(), 2u);
  EXPECT_EQ(store->list(10, 0).items[0].note, "first");
}

TEST_P(StoreTest, EventReviewsAreStoredReplacedAndRemovedWithTheirAnalysis) {
  auto store = open();
  const auto a = store->insert(sample("a.wav"), bytes("a"));
  const auto b = store->insert(sample("b.wav"), bytes("b"));
  EXPECT_TRUE(store->reviews(a.id).empty());
  const auto first = store->set_review(a.id, {.event_index = 3, .status = "confirmed"});
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->reviewed_at.ends_with("Z"));
  // A relabel with corrected times by a named user, on another event.
  ASSERT_TRUE(store->set_review(a.id, {.event_index = 0, .status = "rejected", .label_index = 47, .label = "Cough",
                                       .onset_s = 1.25, .offset_s = 2.0625, .reviewer = 7, .reviewer_name = "ana"}));
  ASSERT_TRUE(store->set_review(b.id, {.event_index = 0, .status = "confirmed"}));
  // The same event again replaces its review.
  ASSERT_TRUE(store->set_review(a.id, {.event_index = 3, .status = "unreviewed"}));
  store.reset();
  store = open();
  const auto reviews = store->reviews(a.id);
  ASSERT_EQ(reviews.size(), 2u);
  EXPECT_EQ(reviews[0].event_index, 0);
  EXPECT_EQ(reviews[0].status, "rejected");
  EXPECT_EQ(reviews[0].label_index, 47);
  EXPECT_EQ(reviews[0].label, "Cough");
  EXPECT_EQ(reviews[0].onset_s, 1.25);
  EXPECT_EQ(reviews[0].offset_s, 2.0625);
  EXPECT_EQ(reviews[0].reviewer, 7);
  EXPECT_EQ(reviews[0].reviewer_name, "ana");
  EXPECT_EQ(reviews[1].event_index, 3);
  EXPECT_EQ(reviews[1].status, "unreviewed");
  EXPECT_FALSE(reviews[1].label_index);
  EXPECT_FALSE(reviews[1].onset_s);
  EXPECT_FALSE(reviews[1].reviewer);
  // Unknown and malformed ids store nothing.
  EXPECT_FALSE(store->set_review("0123456789abcdef0123456789abcdef", {.event_index = 0, .status = "confirmed"}));
  EXPECT_FALSE(store->set_review("../x", {.event_index = 0, .status = "confirmed"}));
  EXPECT_TRUE(store->reviews("../x").empty());
  // A status outside the three is refused by the table itself.
  EXPECT_THROW(store->set_review(a.id, {.event_index = 1, .status = "maybe"}), Error);
  // Deleting an analysis deletes its reviews, not another's; retention too.
  ASSERT_TRUE(store->remove(a.id));
  EXPECT_TRUE(store->reviews(a.id).empty());
  EXPECT_EQ(store->reviews(b.id).size(), 1u);
  EXPECT_EQ(store->remove_older_than(std::chrono::system_clock::now() + std::chrono::hours(1)), 1);
  EXPECT_TRUE(store->reviews(b.id).empty());
}

TEST_F(StorageTest, ASecondOpenOfADirectoryInUseFailsAndDeletesNothing) {
  auto first = open_sqlite_store(dir_.string());
  first->insert(sample("kept.wav"), bytes("kept"));
  // What an upload of the first one looks like while it is being written.
  std::ofstream(dir_ / "audio" / ".tmp-in-flight") << "partial";
  try {
    open_sqlite_store(dir_.string());
    FAIL() << "the second open should have been refused";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("in use by another soundlens process"), std::string::npos) << message;
    EXPECT_NE(message.find("pid " + std::to_string(::getpid())), std::string::npos) << message;
    EXPECT_NE(message.find("--data-dir"), std::string::npos) << message;
  }
  EXPECT_TRUE(fs::exists(dir_ / "audio" / ".tmp-in-flight"));
  first.reset();
  EXPECT_NO_THROW(open_sqlite_store(dir_.string()));  // released with the store
}

TEST_P(StoreTest, ConcurrentInsertsAreAllKeptOnce) {
  auto store = open();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> ids;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto id = store->insert(sample("t" + std::to_string(t)), bytes(std::string(1000, char('a' + t)))).id;
        std::lock_guard lock(mutex);
        ids.insert(id);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 80u);
  EXPECT_EQ(store->list(100, 0).total, 80);
  // SQLite keeps a file per recording; PostgreSQL keeps them in the database, none cached yet.
  EXPECT_EQ(files_in("audio"), postgres() ? 0u : 80u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::sqlite, Backend::postgres), backend_name);

}  // namespace
