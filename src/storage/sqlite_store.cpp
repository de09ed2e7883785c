// The SQLite implementation of AnalysisStore.
//
// Crash safety rests on ordering: audio is written (temp file, fsync, rename)
// before its row is committed, and a row is deleted before its files. So after
// SIGKILL or power loss every row has its audio; the only possible leftovers
// are files without a row, which open_sqlite_store removes.
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>

#include "core/error.h"
#include <nlohmann/json.hpp>

#include "storage/analysis_cache.h"
#include "storage/analysis_store.h"
#include "storage/auth_schema.h"
#include "storage/dir_lock.h"
#include "storage/files.h"
#include "storage/ids.h"
#include "storage/new_analysis.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_reviews.h"
#include "storage/tables.h"

namespace soundlens {
namespace fs = std::filesystem;
using storage::Database;
using storage::Statement;

namespace {

// Version 1 added the summary columns (duration_s, top_class, predictions),
// filled from the stored results once, so that listing never reads them again.
// Version 2 added the owner (a user id; NULL = created with authentication
// off) and the users, keys and audit tables. Version 3 added the user's note
// and labels, and the classes found (for filtering), filled from the results.
// Version 4 added the event reviews (a table of their own, made at every open as the auth tables are).
constexpr int schema_version = 4;

constexpr const char* migrate_to_1 = R"sql(
ALTER TABLE analyses ADD COLUMN duration_s REAL;
ALTER TABLE analyses ADD COLUMN top_class INTEGER NOT NULL DEFAULT -1;
ALTER TABLE analyses ADD COLUMN predictions TEXT NOT NULL DEFAULT '';
UPDATE analyses SET
  duration_s = json_extract(result, '$.duration_s'),
  top_class = coalesce(json_extract(result, '$.predictions[0].index'), -1),
  predictions = coalesce(json_extract(result, '$.predictions'), '')
WHERE json_valid(result);
)sql";

constexpr const char* migrate_to_2 = R"sql(
ALTER TABLE analyses ADD COLUMN owner INTEGER;
CREATE INDEX IF NOT EXISTS analyses_owner ON analyses (owner, seq);
)sql";

constexpr const char* migrate_to_3 = R"sql(
ALTER TABLE analyses ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE analyses ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE analyses ADD COLUMN classes TEXT NOT NULL DEFAULT '';
UPDATE analyses SET classes = coalesce('|' || (
  SELECT group_concat(key, '|') FROM (
    SELECT json_extract(value, '$.index') AS key FROM json_each(result, '$.predictions')
    UNION SELECT lower(json_extract(value, '$.label')) FROM json_each(result, '$.predictions')
    UNION SELECT json_extract(value, '$.index') FROM json_each(result, '$.events')
    UNION SELECT lower(json_extract(value, '$.label')) FROM json_each(result, '$.events'))
  WHERE key IS NOT NULL) || '|', '')
WHERE json_valid(result);
)sql";

constexpr const char* summary_columns =
    "id, filename, content_type, model, created_at, audio_bytes, parameters, duration_s, top_class, predictions, "
    "owner, note, labels";
constexpr const char* all_columns =
    "id, filename, content_type, model, created_at, audio_bytes, parameters, duration_s, top_class, predictions, "
    "owner, note, labels, result";

StoredAnalysis read_row(const Statement& row, bool with_result) {
  StoredAnalysis a;
  a.id = row.text(0);
  a.filename = row.text(1);
  a.content_type = row.text(2);
  a.model = row.text(3);
  a.created_at = row.text(4);
  a.audio_bytes = row.integer(5);
  a.parameters_json = row.text(6);
  a.duration_s = row.number(7);
  a.top_class = int(row.integer(8));
  a.predictions_json = row.text(9);
  if (row.number(10)) a.owner = row.integer(10);
  a.note = row.text(11);
  a.labels = storage::labels_of(row.text(12));
  if (with_result) a.result_json = row.text(13);
  return a;
}

class SqliteStore final : public AnalysisStore {
 public:
  explicit SqliteStore(const fs::path& dir)
      : lock_(dir), audio_dir_(dir / "audio"), cache_(dir / "cache"), db_((dir / "soundlens.db").string()) {
    storage::create_private_directory(audio_dir_, true);
    db_.exec("PRAGMA journal_mode=WAL;");
    // WAL + NORMAL survives a crash of this process; a power loss may drop the
    // last commits, whose audio then becomes an orphan removed at the next start.
    db_.exec("PRAGMA synchronous=NORMAL;");
    migrate();
    remove_leftovers();
  }

  StoredAnalysis insert(const NewAnalysis& analysis, std::span<const std::uint8_t> audio) override {
    StoredAnalysis stored = storage::new_stored_analysis(analysis, audio.size());

    const fs::path audio_file = audio_dir_ / stored.id;
    if (!audio.empty()) storage::write_file_atomically(audio_file, audio);  // empty: the audio is not kept
    try {
      std::lock_guard lock(mutex_);
      db_.immediate_transaction([&] {
        Statement insert(db_.prepare(
            "INSERT INTO analyses (id, filename, content_type, model, created_at, audio_bytes, parameters, result,"
            " duration_s, top_class, predictions, owner, classes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        insert.bind(1, stored.id).bind(2, stored.filename).bind(3, stored.content_type).bind(4, stored.model);
        insert.bind(5, stored.created_at).bind(6, stored.audio_bytes).bind(7, stored.parameters_json);
        insert.bind(8, stored.result_json).bind(9, stored.duration_s).bind(10, std::int64_t(stored.top_class));
        insert.bind(11, stored.predictions_json);
        if (stored.owner) insert.bind(12, *stored.owner);
        else insert.bind(12, std::optional<double>{});
        insert.bind(13, analysis.classes);
        insert.run();
      });
    } catch (...) {
      storage::remove_quietly(audio_file);
      throw;
    }
    return stored;
  }

  std::optional<StoredAnalysis> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    std::lock_guard lock(mutex_);
    return get_locked(id);
  }

  AnalysisPage list(int limit, std::int64_t offset, const AnalysisFilter& filter) override {
    std::lock_guard lock(mutex_);
    AnalysisPage page;
    // Each condition is off when its parameter is empty (?1 = 0: no owner).
    const std::string where =
        " WHERE (?1 = 0 OR owner = ?2)"
        " AND (?3 = '' OR instr(lower(filename), ?3) > 0 OR instr(lower(note), ?3) > 0"
        "      OR EXISTS (SELECT 1 FROM json_each(labels) WHERE instr(lower(value), ?3) > 0))"
        " AND (?4 = '' OR instr(classes, '|' || ?4 || '|') > 0)"
        " AND (?5 = '' OR EXISTS (SELECT 1 FROM json_each(labels) WHERE value = ?5))"
        " AND (?6 = '' OR created_at >= ?6)"
        " AND (?7 = '' OR created_at < date(?7, '+1 day'))";
    const auto bind_filter = [&](Statement& s) {
      s.bind(1, std::int64_t(filter.owner.has_value())).bind(2, filter.owner.value_or(0));
      s.bind(3, storage::ascii_lower(filter.text)).bind(4, storage::ascii_lower(filter.class_key)).bind(5, filter.label);
      s.bind(6, filter.from_date).bind(7, filter.to_date);
    };
    Statement count(db_.prepare(("SELECT COUNT(*) FROM analyses" + where).c_str()));
    bind_filter(count);
    if (count.step()) page.total = count.integer(0);
    Statement rows(db_.prepare((std::string("SELECT ") + summary_columns + " FROM analyses" + where +
                                " ORDER BY seq DESC LIMIT ?8 OFFSET ?9")
                                   .c_str()));
    bind_filter(rows);
    rows.bind(8, std::int64_t(limit)).bind(9, offset);
    while (rows.step()) page.items.push_back(read_row(rows, false));
    return page;
  }

  std::optional<StoredAnalysis> update_notes(const std::string& id, const AnalysisNotes& notes) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (notes.note) {
      Statement u(db_.prepare("UPDATE analyses SET note = ? WHERE id = ?"));
      u.bind(1, *notes.note).bind(2, id).run();
    }
    if (notes.labels) {
      Statement u(db_.prepare("UPDATE analyses SET labels = ? WHERE id = ?"));
      u.bind(1, nlohmann::json(*notes.labels).dump()).bind(2, id).run();
    }
    return get_locked(id);
  }

  std::vector<EventReviewRecord> reviews(const std::string& id) override {
    if (!storage::is_valid_id(id)) return {};
    std::lock_guard lock(mutex_);
    return storage::sqlite_reviews(db_, id);
  }

  std::optional<EventReviewRecord> set_review(const std::string& id, EventReviewRecord review) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    review.reviewed_at = storage::utc_now_iso();
    std::lock_guard lock(mutex_);
    bool known = false;
    db_.immediate_transaction([&] {  // not after a concurrent remove(): no review without its analysis
      if (!(known = exists_locked(id))) return;
      storage::sqlite_write_review(db_, id, review);
    });
    if (!known) return std::nullopt;
    return review;
  }

  bool remove(const std::string& id) override {
    if (!storage::is_valid_id(id)) return false;
    std::lock_guard lock(mutex_);
    bool removed = false;
    db_.immediate_transaction([&] {
      Statement remove(db_.prepare("DELETE FROM analyses WHERE id = ?"));
      remove.bind(1, id).run();
      if (!(removed = db_.changes() > 0)) return;
      storage::sqlite_delete_reviews(db_, id);
    });
    if (!removed) return false;
    storage::remove_quietly(audio_dir_ / id);
    cache_.forget(id);
    return true;
  }

  std::optional<std::string> audio_path(const std::string& id) override {
    // Callers hold the row already; looking it up again would only cost a query.
    if (!storage::is_valid_id(id)) return std::nullopt;
    return (audio_dir_ / id).string();
  }

  std::optional<std::vector<std::uint8_t>> read_cache(const std::string& id, const std::string& key) override {
    return cache_.read(id, key);
  }

  void write_cache(const std::string& id, const std::string& key, std::span<const std::uint8_t> bytes) override {
    storage::AnalysisCache::check_key(key);
    // Under the lock so that a concurrent remove() cannot leave a cache folder behind.
    std::lock_guard lock(mutex_);
    if (!storage::is_valid_id(id) || !exists_locked(id)) return;
    cache_.write(id, key, bytes);
  }

  // --- Retention (privacy) ---
  int remove_older_than(std::chrono::system_clock::time_point cutoff) override {
    // Stored times are ISO 8601 UTC with milliseconds: they order as text.
    const std::string before = storage::utc_iso(cutoff);
    std::vector<std::string> ids;
    std::lock_guard lock(mutex_);
    {
      Statement rows(db_.prepare("SELECT id FROM analyses WHERE created_at < ?"));
      rows.bind(1, before);
      while (rows.step()) ids.push_back(rows.text(0));
    }
    // Rows first, then files (as remove()): a crash in between leaves only files, removed at the next start.
    db_.immediate_transaction([&] {
      Statement remove(db_.prepare("DELETE FROM analyses WHERE created_at < ?"));
      remove.bind(1, before).run();
      storage::sqlite_delete_orphan_reviews(db_);
    });
    for (const auto& id : ids) {
      storage::remove_quietly(audio_dir_ / id);
      cache_.forget(id);
    }
    return int(ids.size());
  }
  // --- end retention ---

 private:
  std::optional<StoredAnalysis> get_locked(const std::string& id) {
    Statement row(db_.prepare((std::string("SELECT ") + all_columns + " FROM analyses WHERE id = ?").c_str()));
    row.bind(1, id);
    if (!row.step()) return std::nullopt;
    return read_row(row, true);
  }

  bool exists_locked(const std::string& id) {
    Statement row(db_.prepare("SELECT 1 FROM analyses WHERE id = ?"));
    row.bind(1, id);
    return row.step();
  }

  // A new database gets the current schema; an older one is brought up to it in one transaction.
  void migrate() {
    std::int64_t version = 0;
    bool exists = false;
    {
      Statement version_row(db_.prepare("PRAGMA user_version"));
      if (version_row.step()) version = version_row.integer(0);
      Statement table(db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analyses'"));
      exists = table.step();
    }
    db_.immediate_transaction([&] {
      if (!exists) {
        db_.exec(storage::analyses_table(storage::Dialect::sqlite).c_str());
      } else {
        if (version < 1) db_.exec(migrate_to_1);
        if (version < 2) db_.exec(migrate_to_2);
        if (version < 3) db_.exec(migrate_to_3);
      }
      db_.exec(storage::auth_tables().c_str());
      db_.exec(storage::review_table(storage::Dialect::sqlite).c_str());
      db_.exec(("PRAGMA user_version = " + std::to_string(schema_version) + ";").c_str());
    });
  }

  std::set<std::string> stored_ids() {
    std::set<std::string> ids;
    Statement rows(db_.prepare("SELECT id FROM analyses"));
    while (rows.step()) ids.insert(rows.text(0));
    return ids;
  }

  // Files an interrupted run left: temp files, and audio or figures whose row
  // was never committed (or was deleted just before the crash).
  void remove_leftovers() {
    const auto ids = stored_ids();
    int removed = 0;
    const auto remove = [&removed](const fs::path& path) {
      storage::remove_quietly(path);
      ++removed;
    };
    for (const fs::path& dir : {audio_dir_, cache_.dir()}) {
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(storage::temp_prefix) || !ids.contains(name)) {
          remove(entry.path());
        } else if (dir == cache_.dir() && entry.is_directory()) {  // temp files of interrupted figure writes
          for (const auto& file : fs::directory_iterator(entry.path()))
            if (file.path().filename().string().starts_with(storage::temp_prefix)) remove(file.path());
        }
      }
    }
    if (removed > 0) std::cerr << "storage: removed " << removed << " leftover file(s) from an interrupted run\n";
  }

  storage::DirectoryLock lock_;  // first: held before anything in the directory is touched
  fs::path audio_dir_;
  storage::AnalysisCache cache_;
  std::mutex mutex_;
  Database db_;
};

}  // namespace

std::unique_ptr<AnalysisStore> open_sqlite_store(const std::string& data_dir) {
  storage::create_private_directory(data_dir);
  return std::make_unique<SqliteStore>(fs::path(data_dir));
}

}  // namespace soundlens
