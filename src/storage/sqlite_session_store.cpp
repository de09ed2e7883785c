// The SQLite implementation of SessionStore, on its own connection to the
// analyses' database (WAL), beside the users table it refers to.
#include <filesystem>
#include <mutex>

#include "core/error.h"
#include "storage/auth_schema.h"
#include "storage/files.h"
#include "storage/ids.h"
#include "storage/session_store.h"
#include "storage/sqlite_db.h"

namespace soundlens {
namespace fs = std::filesystem;
using storage::Database;
using storage::Statement;

namespace {

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(const fs::path& path) : db_(path.string()) {
    db_.exec("PRAGMA journal_mode=WAL;");
    db_.exec("PRAGMA synchronous=NORMAL;");
    db_.exec(storage::auth_tables().c_str());  // with the users it refers to, when this opens a new database first
  }

  SessionRecord add_session(const SessionRecord& s, std::int64_t lifetime_s) override {
    std::lock_guard lock(mutex_);
    db_.exec("DELETE FROM web_sessions WHERE expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    const std::string now = storage::utc_now_iso();
    Statement insert(db_.prepare(
        "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', ?, ? || ' seconds'))"));
    insert.bind(1, s.token_hash).bind(2, s.user_id).bind(3, s.csrf_token).bind(4, now).bind(5, now);
    insert.bind(6, (lifetime_s >= 0 ? "+" : "") + std::to_string(lifetime_s)).run();
    auto stored = find_locked(s.token_hash);
    if (!stored) {  // no such user: leave nothing behind
      Statement remove(db_.prepare("DELETE FROM web_sessions WHERE token_hash = ?"));
      remove.bind(1, s.token_hash).run();
      throw Error(ErrorCode::internal, "a session for unknown user id " + std::to_string(s.user_id));
    }
    return *stored;
  }

  std::optional<SessionRecord> find_session(const std::string& token_hash) override {
    std::lock_guard lock(mutex_);
    return find_locked(token_hash);
  }

  bool delete_session(const std::string& token_hash) override {
    std::lock_guard lock(mutex_);
    Statement remove(db_.prepare("DELETE FROM web_sessions WHERE token_hash = ?"));
    remove.bind(1, token_hash).run();
    return db_.changes() > 0;
  }

  int delete_user_sessions(std::int64_t user_id) override {
    std::lock_guard lock(mutex_);
    Statement remove(db_.prepare("DELETE FROM web_sessions WHERE user_id = ?"));
    remove.bind(1, user_id).run();
    return db_.changes();
  }

 private:
  std::optional<SessionRecord> find_locked(const std::string& token_hash) {
    Statement row(db_.prepare(
        "SELECT s.token_hash, s.user_id, u.name, u.role, s.csrf_token, s.created_at, s.expires_at, "
        "s.expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"));
    row.bind(1, token_hash);
    if (!row.step()) return std::nullopt;
    SessionRecord s;
    s.token_hash = row.text(0);
    s.user_id = row.integer(1);
    s.user_name = row.text(2);
    s.role = row.text(3);
    s.csrf_token = row.text(4);
    s.created_at = row.text(5);
    s.expires_at = row.text(6);
    s.expired = row.integer(7) != 0;
    return s;
  }

  std::mutex mutex_;
  Database db_;
};

}  // namespace

std::unique_ptr<SessionStore> open_sqlite_session_store(const std::string& data_dir) {
  storage::create_private_directory(data_dir);
  return std::make_unique<SqliteSessionStore>(fs::path(data_dir) / "soundlens.db");
}

}  // namespace soundlens
