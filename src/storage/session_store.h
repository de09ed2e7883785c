#pragma once
// Web sign-in sessions, in their own table of soundlens.db. Only the SHA-256
// of a session's token is kept (auth/session_token.h): a copied database
// cannot be used to sign in. Times are ISO 8601 UTC, as elsewhere.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace soundlens {

struct SessionRecord {
  std::string token_hash;       // lowercase hex SHA-256 of the cookie's token
  std::int64_t user_id = 0;
  std::string user_name;        // filled by reads
  std::string role;             // the user's, filled by reads
  std::string csrf_token;       // random, per session
  std::string created_at;       // set on add
  std::string expires_at;       // set on add
  bool expired = false;         // filled by reads: expires_at is past
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Stores a session lasting `lifetime_s` from now (negative: already expired,
  // for tests) and returns it as read back. Also drops expired sessions.
  virtual SessionRecord add_session(const SessionRecord& session, std::int64_t lifetime_s) = 0;
  virtual std::optional<SessionRecord> find_session(const std::string& token_hash) = 0;
  // False when there was none.
  virtual bool delete_session(const std::string& token_hash) = 0;
  // Signs a user out everywhere (e.g. after a new password); returns how many.
  virtual int delete_user_sessions(std::int64_t user_id) = 0;
};

// Opens DATA_DIR/soundlens.db (created if needed) for the sessions table
// (and the users it refers to); its own connection, no directory lock.
std::unique_ptr<SessionStore> open_sqlite_session_store(const std::string& data_dir);
// The same on PostgreSQL (shared by every server of a cluster); runs the migrations.
std::unique_ptr<SessionStore> open_postgres_session_store(const std::string& conninfo);

}  // namespace soundlens
