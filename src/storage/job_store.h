#pragma once
// The job queue's store, one interface for both backends: jobs (long analyses
// run in the background) and what they need to run again after a crash. On
// SQLite (open_sqlite_jobs) a `jobs` table in DATA_DIR/soundlens.db and the
// uploads in DATA_DIR/jobs/ID, used by this process alone; on PostgreSQL
// (open_postgres_jobs) a queue every server and worker shares, claimed with
// leases. The uploads are kept until their job is final.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace soundlens {

struct JobRecord {
  std::string id;                // 32 hex digits
  std::string state = "queued";  // queued | running | done | failed | cancelled
  std::string stage;             // what it is doing ("" while queued)
  double progress = 0;           // 0..1
  std::optional<double> eta_s;   // seconds left, once it can be estimated
  std::string analysis_id;       // once done; a comparison's job: its two analyses' ids, comma-separated
  std::string error_code, error_message;  // once failed
  std::string filename;          // as uploaded (display only)
  std::string parameters_json;   // the upload's form fields, {name: value}
  std::string created_at, updated_at;
  // Who submitted it (nullopt: authentication was off): the owner of its
  // analysis, and who the audit log names.
  std::optional<std::int64_t> owner;
  std::string owner_name, key_id;
  // Filled by a shared store (PostgreSQL) only: a number that grows with every
  // change of the row (readers on other machines wait on it), and whether
  // cancellation was asked for (the worker running it stops; the runner's
  // queue in memory sets it too).
  std::uint64_t version = 0;
  bool cancel_requested = false;
  std::uint64_t upload_bytes = 0;  // the size of its upload (what it holds until it is final)
};

// What one user (one owner; the jobs without an owner count as one user) may
// hold in the queue at once: jobs queued or running, and the bytes of their
// uploads. 0 = unlimited. Past it, create() throws Error(quota_exceeded).
struct JobQuota {
  int max_jobs = 0;
  std::uint64_t max_bytes = 0;
  std::string jobs_setting, bytes_setting;  // how the caller sets each, named in the refusal (e.g. a flag)
};

bool is_final_job_state(const std::string& state);
// The refusal when `owner` already holds `jobs` jobs of `bytes` and one of `adding` bytes comes (nothing when it fits).
void check_job_quota(const JobQuota& quota, std::int64_t jobs, std::uint64_t bytes, std::uint64_t adding);

class JobStore {
 public:
  virtual ~JobStore() = default;
  // Stores the upload, then the row: a job that exists can always run. Sets id and times.
  // The quota is checked with the insert, at once: two submits cannot both take the last place.
  virtual JobRecord create(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota = {}) = 0;
  // Writes state, stage, progress, eta, analysis id and error; a final state removes the upload.
  virtual void update(const JobRecord& job) = 0;
  // nullopt for an unknown id or one that is not an id at all.
  virtual std::optional<JobRecord> get(const std::string& id) = 0;
  // Newest first; with an owner, only that user's.
  virtual std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner = std::nullopt) = 0;
  // Jobs that were queued or running when the process stopped, oldest first.
  virtual std::vector<JobRecord> unfinished() = 0;
  virtual std::vector<std::uint8_t> read_upload(const std::string& id) = 0;
  // The analysis a job stored already (its parameters carry "job_id"), if any:
  // a job that stored its analysis and died before it was marked done is not run twice.
  virtual std::optional<std::string> analysis_of_job(const std::string& id) = 0;

  // --- Retention (privacy) ---
  // Removes the jobs that became final (done, failed, cancelled) before
  // `cutoff`, with any upload left; returns how many. Unfinished jobs stay.
  virtual int remove_final_older_than(std::chrono::system_clock::time_point cutoff) = 0;
  // --- end retention ---

  // --- Shared queue (PostgreSQL): several processes take jobs from one store ---
  // False for a store only this process uses (SQLite): the runner queues in memory.
  virtual bool shared() const { return false; }
  // Takes a job that is queued, or running with an expired lease (its worker
  // died): marks it running, held by `worker` until now + lease. Fair between
  // users: from the user with the fewest running jobs, among them the one
  // served longest ago; each user's own jobs oldest first.
  virtual std::optional<JobRecord> claim(const std::string& worker, std::chrono::milliseconds lease);
  // Extends the lease and writes the progress (stage, progress, eta).
  struct Renewal {
    bool held = false;              // false: the lease was lost (another worker may run it now)
    bool cancel_requested = false;  // someone asked to cancel it
  };
  virtual Renewal renew(const JobRecord& job, const std::string& worker, std::chrono::milliseconds lease);
  // Writes the job's final state (or "queued" to give it back) only while
  // `worker` still holds it: a job finishes once. False when it was lost.
  virtual bool finish(const JobRecord& job, const std::string& worker);
  // A queued job becomes cancelled at once; a running one is marked and its
  // worker stops. Returns the job as it is now; nullopt for an unknown id.
  virtual std::optional<JobRecord> request_cancel(const std::string& id);
  // --- end shared queue ---
};

// Opens (and creates) the jobs table in DATA_DIR/soundlens.db (WAL) and DATA_DIR/jobs/.
std::unique_ptr<JobStore> open_sqlite_jobs(const std::string& data_dir);

// The jobs on PostgreSQL (conninfo: a postgresql:// URI), uploads chunked in
// the database: a shared queue that servers submit to and workers on any
// machine claim from (FOR UPDATE SKIP LOCKED, with a lease).
std::unique_ptr<JobStore> open_postgres_jobs(const std::string& conninfo);

}  // namespace soundlens
