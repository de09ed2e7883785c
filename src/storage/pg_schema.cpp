#include "storage/pg_schema.h"

namespace soundlens::storage::pg {
namespace {

// Any constant shared by every soundlens process: the key of the advisory lock.
constexpr const char* lock_key = "7391648201";

// Version 1: analyses, with the recording in 1 MB chunks beside it. Times are
// ISO 8601 UTC text, as in SQLite, so that both order and compare alike.
// job_id is the job that stored an analysis: unique, so a job stores one at most.
constexpr const char* v1 = R"sql(
CREATE TABLE analyses (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  model TEXT NOT NULL,
  created_at TEXT NOT NULL,
  audio_bytes BIGINT NOT NULL,
  parameters TEXT NOT NULL,
  result TEXT NOT NULL,
  duration_s DOUBLE PRECISION,
  top_class INTEGER NOT NULL DEFAULT -1,
  predictions TEXT NOT NULL DEFAULT '',
  owner BIGINT,
  note TEXT NOT NULL DEFAULT '',
  labels JSONB NOT NULL DEFAULT '[]',
  classes TEXT NOT NULL DEFAULT '',
  job_id TEXT UNIQUE
);
CREATE INDEX analyses_owner ON analyses (owner, seq);
CREATE INDEX analyses_created ON analyses (created_at);
CREATE TABLE audio_chunks (
  analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (analysis_id, seq)
);
)sql";

// Version 2: users, keys, the append-only audit log, and settings shared by
// every machine (the install secret API keys are hashed with).
constexpr const char* v2 = R"sql(
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  created_at TEXT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE TABLE audit (
  seq BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  analysis_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Version 3: jobs, a queue shared by every machine. A worker holds a running
// job until lease_until and renews it; once it passes, another claims the job.
// version grows with every change (readers elsewhere wait on it).
constexpr const char* v3 = R"sql(
CREATE TABLE jobs (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  stage TEXT NOT NULL DEFAULT '',
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  eta_s DOUBLE PRECISION,
  analysis_id TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  filename TEXT NOT NULL DEFAULT '',
  parameters TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owner BIGINT,
  owner_name TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL DEFAULT '',
  worker TEXT,
  lease_until TIMESTAMPTZ,
  cancel_requested BOOLEAN NOT NULL DEFAULT false,
  attempts INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX jobs_unfinished ON jobs (seq) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_owner ON jobs (owner, seq);
CREATE TABLE job_uploads (
  job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (job_id, seq)
);
)sql";

// v4: batches (several uploads sent together, each a job).
constexpr const char* v4 = R"sql(
CREATE TABLE batches (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  owner BIGINT,
  created_at TEXT NOT NULL
);
CREATE TABLE batch_items (
  batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  job_id TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (batch_id, idx)
);
)sql";

// v5: web sign-in (passwords as slow salted hashes, sessions by the SHA-256 of their token).
constexpr const char* v5 = R"sql(
CREATE TABLE user_passwords (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE web_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
)sql";

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

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {{1, v1}, {2, v2}, {3, v3}, {4, v4}, {5, v5}, {6, v6}};
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
