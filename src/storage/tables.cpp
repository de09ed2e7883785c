#include "storage/tables.h"

namespace soundlens::storage {
namespace {

// {new}: SQLite creates what is missing at every open; PostgreSQL's migrations create once.
// {seq}: the row's insertion order. {int64}, {double}, {json}: the types spelt differently.
// {extra}: the caller's own columns.
constexpr std::string_view analyses = R"sql(
CREATE TABLE {new}analyses (
  seq {seq},
  id TEXT NOT NULL UNIQUE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  model TEXT NOT NULL,
  created_at TEXT NOT NULL,
  audio_bytes {int64} NOT NULL,
  parameters TEXT NOT NULL,
  result TEXT NOT NULL,
  duration_s {double},
  top_class INTEGER NOT NULL DEFAULT -1,
  predictions TEXT NOT NULL DEFAULT '',
  owner {int64},
  note TEXT NOT NULL DEFAULT '',
  labels {json} NOT NULL DEFAULT '[]',
  classes TEXT NOT NULL DEFAULT ''{extra}
);
CREATE INDEX {new}analyses_owner ON analyses (owner, seq);
)sql";

constexpr std::string_view jobs = R"sql(
CREATE TABLE {new}jobs (
  seq {seq},
  id TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  stage TEXT NOT NULL DEFAULT '',
  progress {double} NOT NULL DEFAULT 0,
  eta_s {double},
  analysis_id TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  filename TEXT NOT NULL DEFAULT '',
  parameters TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owner {int64},
  owner_name TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL DEFAULT ''{extra}
);
)sql";

constexpr std::string_view batches = R"sql(
CREATE TABLE {new}batches (
  seq {seq},
  id TEXT NOT NULL UNIQUE,
  owner {int64},
  created_at TEXT NOT NULL
);
CREATE TABLE {new}batch_items (
  batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  job_id TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (batch_id, idx)
);
)sql";

constexpr std::string_view users = R"sql(
CREATE TABLE {new}users (
  id {seq},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  created_at TEXT NOT NULL
);
CREATE TABLE {new}api_keys (
  id TEXT PRIMARY KEY,
  user_id {int64} NOT NULL REFERENCES users (id),
  scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE TABLE {new}audit (
  seq {seq},
  at TEXT NOT NULL,
  user_id {int64},
  user_name TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  analysis_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
)sql";

// Passwords as slow salted hashes, sessions by the SHA-256 of their token.
constexpr std::string_view sign_in = R"sql(
CREATE TABLE {new}user_passwords (
  user_id {int64} PRIMARY KEY REFERENCES users (id),
  hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE {new}web_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {int64} NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX {new}web_sessions_user ON web_sessions (user_id);
)sql";

// A review of one event. The reference removes the reviews with their analysis
// on PostgreSQL; SQLite (without foreign keys switched on) deletes them itself.
constexpr std::string_view reviews = R"sql(
CREATE TABLE {new}event_reviews (
  analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
  event_index INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'unreviewed')),
  label_index INTEGER,
  label TEXT NOT NULL DEFAULT '',
  onset_s {double},
  offset_s {double},
  reviewer {int64},
  reviewer_name TEXT NOT NULL DEFAULT '',
  reviewed_at TEXT NOT NULL,
  PRIMARY KEY (analysis_id, event_index)
);
)sql";

std::string render(std::string_view sql, Dialect dialect, std::string_view extra) {
  const bool sqlite = dialect == Dialect::sqlite;
  const std::pair<std::string_view, std::string_view> words[] = {
      {"{new}", sqlite ? "IF NOT EXISTS " : ""},
      {"{seq}", sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"},
      {"{int64}", sqlite ? "INTEGER" : "BIGINT"},
      {"{double}", sqlite ? "REAL" : "DOUBLE PRECISION"},
      {"{json}", sqlite ? "TEXT" : "JSONB"},
      {"{extra}", extra},
  };
  std::string out;
  for (std::size_t at = 0; at < sql.size();) {
    bool replaced = false;
    if (sql[at] == '{')
      for (const auto& [word, spelt] : words)
        if (sql.substr(at, word.size()) == word) {
          out += spelt;
          at += word.size();
          replaced = true;
          break;
        }
    if (!replaced) out += sql[at++];
  }
  return out;
}

}  // namespace

std::string analyses_table(Dialect dialect, std::string_view extra) { return render(analyses, dialect, extra); }
std::string jobs_table(Dialect dialect, std::string_view extra) { return render(jobs, dialect, extra); }
std::string batch_tables(Dialect dialect) { return render(batches, dialect, ""); }
std::string user_tables(Dialect dialect) { return render(users, dialect, ""); }
std::string sign_in_tables(Dialect dialect) { return render(sign_in, dialect, ""); }
std::string review_table(Dialect dialect) { return render(reviews, dialect, ""); }

}  // namespace soundlens::storage
