// The SQLite implementation of JobStore: a queue this process alone uses, the
// uploads as files beside the database until their job is final.
#include "storage/job_store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include "core/error.h"
#include "storage/files.h"
#include "storage/ids.h"
#include "storage/sqlite_db.h"
#include "storage/tables.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;
using storage::Statement;

// The table both backends have (tables.cpp) with the upload's size; the index finds the unfinished jobs.
std::string schema() {
  return storage::jobs_table(storage::Dialect::sqlite, ",\n  upload_bytes INTEGER NOT NULL DEFAULT 0") +
         "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state);\n";
}

// Columns added after the first release of the table, added to older ones at open.
constexpr std::pair<const char*, const char*> added_columns[] = {
    {"owner", "INTEGER"}, {"owner_name", "TEXT NOT NULL DEFAULT ''"}, {"key_id", "TEXT NOT NULL DEFAULT ''"},
    {"upload_bytes", "INTEGER NOT NULL DEFAULT 0"}};

constexpr const char* columns =
    "id, state, stage, progress, eta_s, analysis_id, error_code, error_message, filename, parameters, created_at, "
    "updated_at, owner, owner_name, key_id, upload_bytes";

JobRecord read_row(const Statement& row) {
  JobRecord j;
  j.id = row.text(0);
  j.state = row.text(1);
  j.stage = row.text(2);
  j.progress = row.number(3).value_or(0.0);
  j.eta_s = row.number(4);
  j.analysis_id = row.text(5);
  j.error_code = row.text(6);
  j.error_message = row.text(7);
  j.filename = row.text(8);
  j.parameters_json = row.text(9);
  j.created_at = row.text(10);
  j.updated_at = row.text(11);
  if (row.number(12)) j.owner = row.integer(12);
  j.owner_name = row.text(13);
  j.key_id = row.text(14);
  j.upload_bytes = std::uint64_t(std::max<std::int64_t>(0, row.integer(15)));
  return j;
}

class SqliteJobs final : public JobStore {
 public:
  explicit SqliteJobs(const fs::path& dir) : uploads_(dir / "jobs"), db_((dir / "soundlens.db").string()) {
    storage::create_private_directory(uploads_, true);
    db_.exec("PRAGMA journal_mode=WAL;");
    db_.exec("PRAGMA synchronous=NORMAL;");
    db_.exec(schema().c_str());
    add_missing_columns();
    remove_orphan_uploads();
  }

  JobRecord create(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) override {
    job.id = storage::new_id();
    job.created_at = job.updated_at = storage::utc_now_iso();
    job.upload_bytes = upload.size();
    {
      std::lock_guard lock(mutex_);  // refused before the upload is written
      check_quota_locked(job.owner, upload.size(), quota);
    }
    const fs::path file = uploads_ / job.id;
    storage::write_file_atomically(file, upload);
    try {
      std::lock_guard lock(mutex_);
      // Again, with the insert, under the database's write lock: another
      // submit (this store's or another's on the same file) may have come meanwhile.
      db_.immediate_transaction([&] {
        check_quota_locked(job.owner, upload.size(), quota);
        Statement insert(db_.prepare(
            "INSERT INTO jobs (id, state, stage, progress, eta_s, analysis_id, error_code, error_message, filename, "
            "parameters, created_at, updated_at, owner, owner_name, key_id, upload_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        insert.bind(1, job.id).bind(2, job.state).bind(3, job.stage).bind(4, std::optional<double>(job.progress));
        insert.bind(5, job.eta_s).bind(6, job.analysis_id).bind(7, job.error_code).bind(8, job.error_message);
        insert.bind(9, job.filename).bind(10, job.parameters_json).bind(11, job.created_at).bind(12, job.updated_at);
        if (job.owner) insert.bind(13, *job.owner);  // else NULL
        insert.bind(14, job.owner_name).bind(15, job.key_id).bind(16, std::int64_t(job.upload_bytes));
        insert.run();
      });
    } catch (...) {
      storage::remove_quietly(file);
      throw;
    }
    return job;
  }

  void update(const JobRecord& job) override {
    {
      std::lock_guard lock(mutex_);
      Statement u(db_.prepare(
          "UPDATE jobs SET state = ?, stage = ?, progress = ?, eta_s = ?, analysis_id = ?, error_code = ?, "
          "error_message = ?, updated_at = ? WHERE id = ?"));
      u.bind(1, job.state).bind(2, job.stage).bind(3, std::optional<double>(job.progress)).bind(4, job.eta_s);
      u.bind(5, job.analysis_id).bind(6, job.error_code).bind(7, job.error_message);
      u.bind(8, storage::utc_now_iso()).bind(9, job.id).run();
    }
    if (is_final_job_state(job.state) && storage::is_valid_id(job.id)) storage::remove_quietly(uploads_ / job.id);
  }

  std::optional<JobRecord> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    std::lock_guard lock(mutex_);
    Statement row(db_.prepare((std::string("SELECT ") + columns + " FROM jobs WHERE id = ?").c_str()));
    row.bind(1, id);
    if (!row.step()) return std::nullopt;
    return read_row(row);
  }

  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner) override {
    std::lock_guard lock(mutex_);
    // ?2 = 0: every job; ?2 = 1: those of owner ?3 only.
    Statement rows(db_.prepare(
        (std::string("SELECT ") + columns + " FROM jobs WHERE (?2 = 0 OR owner = ?3) ORDER BY seq DESC LIMIT ?1")
            .c_str()));
    rows.bind(1, std::int64_t(limit)).bind(2, std::int64_t(owner.has_value())).bind(3, owner.value_or(0));
    std::vector<JobRecord> out;
    while (rows.step()) out.push_back(read_row(rows));
    return out;
  }

  std::vector<JobRecord> unfinished() override {
    std::lock_guard lock(mutex_);
    Statement rows(db_.prepare((std::string("SELECT ") + columns +
                                " FROM jobs WHERE state IN ('queued', 'running') ORDER BY seq").c_str()));
    std::vector<JobRecord> out;
    while (rows.step()) out.push_back(read_row(rows));
    return out;
  }

  std::vector<std::uint8_t> read_upload(const std::string& id) override {
    if (!storage::is_valid_id(id)) throw Error(ErrorCode::not_found, "no job with id '" + id + "'");
    std::ifstream in(uploads_ / id, std::ios::binary);
    if (!in) throw Error(ErrorCode::internal, "the upload of job '" + id + "' is missing");
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
  }

  std::optional<std::string> analysis_of_job(const std::string& id) override {
    std::lock_guard lock(mutex_);
    // The analyses table belongs to the analysis store; it may not exist yet in a fresh directory.
    Statement exists(db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analyses'"));
    if (!exists.step()) return std::nullopt;
    Statement row(db_.prepare(
        "SELECT id FROM analyses WHERE json_valid(parameters) AND json_extract(parameters, '$.job_id') = ? "
        "LIMIT 1"));
    row.bind(1, id);
    if (!row.step()) return std::nullopt;
    return row.text(0);
  }

  // --- Retention (privacy) ---
  int remove_final_older_than(std::chrono::system_clock::time_point cutoff) override {
    const std::string before = storage::utc_iso(cutoff);
    const char* final_and_old = " FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND updated_at < ?";
    std::vector<std::string> ids;
    std::lock_guard lock(mutex_);
    {
      Statement rows(db_.prepare((std::string("SELECT id") + final_and_old).c_str()));
      rows.bind(1, before);
      while (rows.step()) ids.push_back(rows.text(0));
    }
    Statement remove(db_.prepare((std::string("DELETE") + final_and_old).c_str()));
    remove.bind(1, before).run();
    for (const auto& id : ids)
      if (storage::is_valid_id(id)) storage::remove_quietly(uploads_ / id);  // final: normally gone already
    return int(ids.size());
  }
  // --- end retention ---

 private:
  void check_quota_locked(std::optional<std::int64_t> owner, std::uint64_t adding, const JobQuota& quota) {
    if (quota.max_jobs <= 0 && quota.max_bytes == 0) return;
    // `owner IS ?` matches NULL too: the jobs without an owner count as one user.
    Statement held(db_.prepare(
        "SELECT count(*), coalesce(sum(upload_bytes), 0) FROM jobs WHERE state IN ('queued', 'running') AND owner IS ?"));
    if (owner) held.bind(1, *owner);  // else NULL
    held.step();
    check_job_quota(quota, held.integer(0), std::uint64_t(std::max<std::int64_t>(0, held.integer(1))), adding);
  }

  void add_missing_columns() {
    std::vector<std::string> present;
    Statement info(db_.prepare("PRAGMA table_info(jobs)"));
    while (info.step()) present.push_back(info.text(1));
    for (const auto& [name, type] : added_columns)
      if (std::find(present.begin(), present.end(), name) == present.end())
        db_.exec((std::string("ALTER TABLE jobs ADD COLUMN ") + name + " " + type + ";").c_str());
  }

  // Uploads of jobs that are final or have no row (a crash between writing the file and the row).
  void remove_orphan_uploads() {
    for (const auto& entry : fs::directory_iterator(uploads_)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(storage::temp_prefix)) {
        storage::remove_quietly(entry.path());
        continue;
      }
      Statement row(db_.prepare("SELECT state FROM jobs WHERE id = ?"));
      row.bind(1, name);
      if (!row.step() || is_final_job_state(row.text(0))) storage::remove_quietly(entry.path());
    }
  }

  fs::path uploads_;
  std::mutex mutex_;
  storage::Database db_;
};

}  // namespace

std::unique_ptr<JobStore> open_sqlite_jobs(const std::string& data_dir) {
  storage::create_private_directory(data_dir);
  return std::make_unique<SqliteJobs>(fs::path(data_dir));
}

}  // namespace soundlens
