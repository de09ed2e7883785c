#pragma once
// Users, their API keys (hashes only) and the append-only audit log, in the
// same database as the analyses. Roles and scopes are kept as their names
// ("admin"/"member", "read"/"write"); auth/ gives them meaning.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soundlens {

struct UserRecord {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string created_at;
};

struct KeyRecord {
  std::string id;                          // the public part of the key
  std::int64_t user_id = 0;
  std::string user_name;                   // filled by reads
  std::string role;                        // the user's, filled by reads
  std::string scope;
  std::string hash;                        // HMAC of the secret part, hex
  std::string created_at;
  std::optional<std::string> expires_at;   // ISO 8601 UTC, as created_at
  std::optional<std::string> revoked_at;
  bool expired = false;                    // filled by reads: expires_at is past
};

struct AuditRecord {
  std::int64_t seq = 0;
  std::string at;                          // filled on append
  std::optional<std::int64_t> user_id;     // nullopt: authentication was off
  std::string user_name;
  std::string key_id;
  std::string action;                      // create, read_audio, export, delete, review, sign_in, sign_in_failed, sign_out
  std::string analysis_id;
  std::string detail;                      // e.g. the route
};

struct AuditPage {
  std::vector<AuditRecord> items;          // newest first
  std::int64_t total = 0;
};

class AuthStore {
 public:
  virtual ~AuthStore() = default;
  // Throws Error(bad_request) when the name is taken or not a plain name.
  virtual UserRecord add_user(const std::string& name, const std::string& role) = 0;
  virtual std::optional<UserRecord> find_user(const std::string& name) = 0;
  virtual std::vector<UserRecord> list_users() = 0;
  // expires_days: nullopt = never. Sets created_at (and expires_at) and returns the record.
  virtual KeyRecord add_key(const KeyRecord& key, std::optional<int> expires_days) = 0;
  virtual std::optional<KeyRecord> find_key(const std::string& id) = 0;
  virtual std::vector<KeyRecord> list_keys() = 0;
  // False when unknown or already revoked.
  virtual bool revoke_key(const std::string& id) = 0;
  virtual void append_audit(const AuditRecord& record) = 0;
  virtual AuditPage list_audit(int limit, std::int64_t offset) = 0;
  // Passwords for web sign-in, as auth/password.h stores them (a salted slow
  // hash, never the password); nullopt: the user has none and cannot sign in.
  // Not pure so that other backends keep compiling: their default refuses clearly.
  virtual void set_password_hash(std::int64_t user_id, const std::string& hash);
  virtual std::optional<std::string> password_hash(std::int64_t user_id);
};

// Opens DATA_DIR/soundlens.db (created if needed) for the auth tables only:
// no directory lock, so that the CLI can add users and keys while a server runs.
std::unique_ptr<AuthStore> open_sqlite_auth_store(const std::string& data_dir);

// The same tables on PostgreSQL (conninfo: a postgresql:// URI); brings the
// schema up to date at open.
std::unique_ptr<AuthStore> open_postgres_auth_store(const std::string& conninfo);

// Error(bad_request) unless `name` is 1-64 letters, digits and _ - . @ (every backend's rule for add_user).
void check_user_name(const std::string& name);

// With PostgreSQL the install secret lives in the database (table settings),
// so that every machine accepts the same keys: `fresh` (64 hex digits, made by
// the caller) is stored if there is none yet; returns the one stored.
std::string postgres_install_secret(const std::string& conninfo, const std::string& fresh);

}  // namespace soundlens
