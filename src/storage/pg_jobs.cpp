// The PostgreSQL implementation of JobStore: a queue shared by every machine.
// Servers create jobs (row and upload chunks in one transaction); runners on
// any machine claim them with FOR UPDATE SKIP LOCKED and hold them with a
// lease they renew; a final state is written only by the lease holder.
#include <algorithm>
#include <memory>

#include "core/error.h"
#include "storage/ids.h"
#include "storage/job_store.h"
#include "storage/pg_chunks.h"
#include "storage/pg_pool.h"
#include "storage/pg_schema.h"

namespace soundlens {
using storage::pg::Param;
using storage::pg::Result;

namespace {

constexpr const char* columns =
    "id, state, stage, progress, eta_s, analysis_id, error_code, error_message, filename, parameters, created_at, "
    "updated_at, owner, owner_name, key_id, version, cancel_requested, upload_bytes";

JobRecord read_row(const Result& r, int i) {
  JobRecord j;
  j.id = r.text(i, 0);
  j.state = r.text(i, 1);
  j.stage = r.text(i, 2);
  j.progress = r.number(i, 3).value_or(0.0);
  j.eta_s = r.number(i, 4);
  j.analysis_id = r.text(i, 5);
  j.error_code = r.text(i, 6);
  j.error_message = r.text(i, 7);
  j.filename = r.text(i, 8);
  j.parameters_json = r.text(i, 9);
  j.created_at = r.text(i, 10);
  j.updated_at = r.text(i, 11);
  j.owner = r.optional_integer(i, 12);
  j.owner_name = r.text(i, 13);
  j.key_id = r.text(i, 14);
  j.version = std::uint64_t(r.integer(i, 15));
  j.cancel_requested = r.boolean(i, 16);
  j.upload_bytes = std::uint64_t(std::max<std::int64_t>(0, r.integer(i, 17)));
  return j;
}

std::vector<JobRecord> read_rows(const Result& r) {
  std::vector<JobRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_row(r, i));
  return out;
}

Param milliseconds(std::chrono::milliseconds lease) { return Param(std::int64_t(lease.count())); }

// The transaction lock that makes a user's quota check and insert one step
// (another server may be submitting for the same user). Far from the schema's lock key.
std::int64_t quota_lock_key(std::optional<std::int64_t> owner) {
  return std::int64_t(0x4a51000000000000LL) + owner.value_or(-1);
}

class PostgresJobs final : public JobStore {
 public:
  explicit PostgresJobs(const std::string& conninfo) : pool_(conninfo, 8) { storage::pg::migrate(*pool_.take()); }

  JobRecord create(JobRecord job, std::span<const std::uint8_t> upload, const JobQuota& quota) override {
    job.id = storage::new_id();
    job.created_at = job.updated_at = storage::utc_now_iso();
    job.version = 1;
    job.upload_bytes = upload.size();
    auto db = pool_.take();
    db->transaction([&] {
      if (quota.max_jobs > 0 || quota.max_bytes > 0) {
        db->query("SELECT pg_advisory_xact_lock($1::bigint)", {quota_lock_key(job.owner)});
        const auto held = db->query(
            "SELECT count(*), coalesce(sum(upload_bytes), 0)::bigint FROM jobs"
            " WHERE state IN ('queued', 'running') AND owner IS NOT DISTINCT FROM $1::bigint",
            {job.owner});
        check_job_quota(quota, held.integer(0, 0), std::uint64_t(std::max<std::int64_t>(0, held.integer(0, 1))),
                        upload.size());
      }
      db->query(
          "INSERT INTO jobs (id, state, stage, progress, eta_s, analysis_id, error_code, error_message, filename,"
          " parameters, created_at, updated_at, owner, owner_name, key_id, upload_bytes)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
          {job.id, job.state, job.stage, std::optional<double>(job.progress), job.eta_s, job.analysis_id,
           job.error_code, job.error_message, job.filename, job.parameters_json, job.created_at, job.updated_at,
           job.owner, job.owner_name, job.key_id, std::int64_t(job.upload_bytes)});
      storage::pg::insert_chunks(*db, "job_uploads", "job_id", job.id, upload);
    });
    return job;
  }

  void update(const JobRecord& job) override {
    auto db = pool_.take();
    db->query(
        "UPDATE jobs SET state = $1, stage = $2, progress = $3, eta_s = $4, analysis_id = $5, error_code = $6,"
        " error_message = $7, updated_at = $8, version = version + 1 WHERE id = $9",
        {job.state, job.stage, std::optional<double>(job.progress), job.eta_s, job.analysis_id, job.error_code,
         job.error_message, storage::utc_now_iso(), job.id});
    if (is_final_job_state(job.state)) db->query("DELETE FROM job_uploads WHERE job_id = $1", {job.id});
  }

  std::optional<JobRecord> get(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    const auto r = pool_.take()->query(std::string("SELECT ") + columns + " FROM jobs WHERE id = $1", {id});
    if (r.rows() == 0) return std::nullopt;
    return read_row(r, 0);
  }

  std::vector<JobRecord> recent(int limit, std::optional<std::int64_t> owner) override {
    return read_rows(pool_.take()->query(std::string("SELECT ") + columns +
                                             " FROM jobs WHERE (NOT $2::boolean OR owner = $3::bigint)"
                                             " ORDER BY seq DESC LIMIT $1",
                                         {std::int64_t(limit), owner ? "true" : "false", owner.value_or(0)}));
  }

  std::vector<JobRecord> unfinished() override {
    return read_rows(pool_.take()->query(std::string("SELECT ") + columns +
                                         " FROM jobs WHERE state IN ('queued', 'running') ORDER BY seq"));
  }

  std::vector<std::uint8_t> read_upload(const std::string& id) override {
    if (!storage::is_valid_id(id)) throw Error(ErrorCode::not_found, "no job with id '" + id + "'");
    const auto r =
        pool_.take()->query_binary("SELECT bytes FROM job_uploads WHERE job_id = $1 ORDER BY seq", {id});
    if (r.rows() == 0) throw Error(ErrorCode::internal, "the upload of job '" + id + "' is missing");
    std::vector<std::uint8_t> out;
    for (int i = 0; i < r.rows(); ++i) {
      const auto chunk = r.bytes(i, 0);
      out.insert(out.end(), chunk.begin(), chunk.end());
    }
    return out;
  }

  std::optional<std::string> analysis_of_job(const std::string& id) override {
    const auto r = pool_.take()->query("SELECT id FROM analyses WHERE job_id = $1", {id});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }

  int remove_final_older_than(std::chrono::system_clock::time_point cutoff) override {
    // The uploads go with the rows (ON DELETE CASCADE).
    return pool_.take()
        ->query("DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND updated_at < $1",
                {storage::utc_iso(cutoff)})
        .affected();
  }

  bool shared() const override { return true; }

  std::optional<JobRecord> claim(const std::string& worker, std::chrono::milliseconds lease) override {
    // Fair between users (one user's 300 jobs do not make another's wait behind them): the user with the
    // fewest running jobs first, then the one whose turn (job_turns) is the oldest, then the oldest job.
    // SKIP LOCKED: two workers claiming at once take different jobs instead of waiting on each other.
    auto db = pool_.take();
    return db->transaction([&]() -> std::optional<JobRecord> {
      const auto r = db->query(
          std::string("UPDATE jobs SET state = 'running', stage = 'starting', progress = 0, eta_s = NULL,"
                      " worker = $1, lease_until = clock_timestamp() + $2::double precision * interval '1 millisecond',"
                      " attempts = attempts + 1, version = version + 1, updated_at = $3"
                      " WHERE id = (SELECT j.id FROM jobs j"
                      "   LEFT JOIN (SELECT coalesce(owner, -1) AS who, count(*) AS n FROM jobs"
                      "              WHERE state = 'running' AND lease_until >= clock_timestamp()"
                      "              GROUP BY coalesce(owner, -1)) busy ON busy.who = coalesce(j.owner, -1)"
                      "   LEFT JOIN job_turns t ON t.owner = coalesce(j.owner, -1)"
                      "   WHERE j.state = 'queued' OR (j.state = 'running' AND j.lease_until < clock_timestamp())"
                      "   ORDER BY coalesce(busy.n, 0), t.served_at NULLS FIRST, j.seq"
                      "   LIMIT 1 FOR UPDATE OF j SKIP LOCKED)"
                      " RETURNING ") + columns,
          {worker, milliseconds(lease), storage::utc_now_iso()});
      if (r.rows() == 0) return std::nullopt;
      JobRecord job = read_row(r, 0);
      db->query(
          "INSERT INTO job_turns (owner, served_at) VALUES (coalesce($1::bigint, -1), clock_timestamp())"
          " ON CONFLICT (owner) DO UPDATE SET served_at = excluded.served_at",
          {job.owner});
      return job;
    });
  }

  Renewal renew(const JobRecord& job, const std::string& worker, std::chrono::milliseconds lease) override {
    // The version grows only when the progress changed: waiters are not woken for nothing.
    const auto r = pool_.take()->query(
        "UPDATE jobs SET lease_until = clock_timestamp() + $3::double precision * interval '1 millisecond',"
        " version = version + CASE WHEN (stage, progress, eta_s) IS DISTINCT FROM ($4::text, $5::double precision, $6::double precision) THEN 1 ELSE 0 END,"
        " updated_at = CASE WHEN (stage, progress) IS DISTINCT FROM ($4::text, $5::double precision) THEN $7 ELSE updated_at END,"
        " stage = $4, progress = $5, eta_s = $6"
        " WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING cancel_requested",
        {job.id, worker, milliseconds(lease), job.stage, std::optional<double>(job.progress), job.eta_s,
         storage::utc_now_iso()});
    if (r.rows() == 0) return {};
    return {true, r.boolean(0, 0)};
  }

  bool finish(const JobRecord& job, const std::string& worker) override {
    auto db = pool_.take();
    return db->transaction([&] {
      const auto r = db->query(
          "UPDATE jobs SET state = $3, stage = $4, progress = $5, eta_s = $6, analysis_id = $7, error_code = $8,"
          " error_message = $9, updated_at = $10, lease_until = NULL, version = version + 1,"
          " worker = CASE WHEN $3::text = 'queued' THEN NULL ELSE worker END"
          " WHERE id = $1 AND worker = $2 AND state = 'running'",
          {job.id, worker, job.state, job.stage, std::optional<double>(job.progress), job.eta_s, job.analysis_id,
           job.error_code, job.error_message, storage::utc_now_iso()});
      if (r.affected() == 0) return false;
      if (is_final_job_state(job.state)) db->query("DELETE FROM job_uploads WHERE job_id = $1", {job.id});
      return true;
    });
  }

  std::optional<JobRecord> request_cancel(const std::string& id) override {
    if (!storage::is_valid_id(id)) return std::nullopt;
    auto db = pool_.take();
    db->transaction([&] {
      const auto r = db->query(
          "UPDATE jobs SET cancel_requested = true, version = version + 1, updated_at = $2,"
          " state = CASE WHEN state = 'queued' THEN 'cancelled' ELSE state END,"
          " eta_s = CASE WHEN state = 'queued' THEN NULL ELSE eta_s END"
          " WHERE id = $1 AND state IN ('queued', 'running') RETURNING state",
          {id, storage::utc_now_iso()});
      if (r.rows() > 0 && r.text(0, 0) == "cancelled") db->query("DELETE FROM job_uploads WHERE job_id = $1", {id});
    });
    return get(id);
  }

 private:
  storage::pg::Pool pool_;
};

}  // namespace

std::unique_ptr<JobStore> open_postgres_jobs(const std::string& conninfo) {
  return std::make_unique<PostgresJobs>(conninfo);
}

}  // namespace soundlens
