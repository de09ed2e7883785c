#include "storage/pg_schema.h"

#include "storage/pg_chunks.h"
#include "storage/tables.h"

namespace soundlens::storage::pg {
namespace {

// Any constant shared by every soundlens process: the key of the advisory lock.
constexpr const char* lock_key = "7391648201";

// Version 1: analyses (tables.cpp), with the recording in chunks beside it
// (pg_chunks.h). Times are ISO 8601 UTC text, as in SQLite, so that both order and
// compare alike. job_id is the job that stored an analysis: unique, so a job
// stores one at most.
std::string v1() {
  return analyses_table(Dialect::postgres, ",\n  job_id TEXT UNIQUE") +
         "CREATE INDEX analyses_created ON analyses (created_at);\n" +
         chunks_table("audio_chunks", "analysis_id", "analyses");
}

// Version 2: users, keys, the audit log (tables.cpp) made append-only, and
// settings shared by every machine (the install secret API keys are hashed with).
std::string v2() {
  return user_tables(Dialect::postgres) + R"sql(
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";
}

// Version 3: jobs (tables.cpp), a queue shared by every machine. A worker
// holds a running job until lease_until and renews it; once it passes,
// another claims the job. version grows with every change (readers elsewhere
// wait on it).
std::string v3() {
  return jobs_table(Dialect::postgres,
                    ",\n  worker TEXT,\n  lease_until TIMESTAMPTZ,\n"
                    "  cancel_requested BOOLEAN NOT NULL DEFAULT false,\n"
                    "  attempts INTEGER NOT NULL DEFAULT 0,\n  version BIGINT NOT NULL DEFAULT 1") +
         R"sql(
CREATE INDEX jobs_unfinished ON jobs (seq) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_owner ON jobs (owner, seq);
)sql" + chunks_table("job_uploads", "job_id", "jobs");
}

// v6: quotas and fair claiming. Each job's upload size (what a user holds in
// the queue); when each user (owner, -1 without authentication) was last given
// a worker, so that claims go round the users instead of down one user's queue.
constexpr const char* v6 = R"sql(
ALTER TABLE jobs ADD COLUMN upload_bytes BIGINT NOT NULL DEFAULT 0;
CREATE TABLE job_turns (
  owner BIGINT PRIMARY KEY,
  served_at TIMESTAMPTZ NOT NULL
);
)sql";

// v7: reviews of events (tables.cpp), removed with their analysis.
std::string v7() { return review_table(Dialect::postgres); }

}  // namespace

const std::vector<Migration>& migrations() {
  // v4: batches (several uploads sent together, each a job); v5: web sign-in. As tables.cpp has them.
  static const std::vector<Migration> all = {
      {1, v1()}, {2, v2()}, {3, v3()}, {4, batch_tables(Dialect::postgres)}, {5, sign_in_tables(Dialect::postgres)},
      {6, v6}, {7, v7()}};
  return all;
}

int migrate(Connection& connection) {
  int reached = 0;
  for (const auto& migration : migrations()) {
    connection.transaction([&] {
      // The lock comes first: two processes starting at once would otherwise
      // both see the table missing and both try to create it.
      connection.query("SELECT pg_advisory_xact_lock($1::bigint)", {lock_key});
      connection.script(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY,"
          " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const auto applied =
          connection.query("SELECT 1 FROM schema_migrations WHERE version = $1", {migration.version});
      if (applied.rows() > 0) return;
      connection.script(migration.sql);
      connection.query("INSERT INTO schema_migrations (version) VALUES ($1)", {migration.version});
    });
    reached = migration.version;
  }
  return reached;
}

}  // namespace soundlens::storage::pg
