// The SQLite implementation of AuthStore, on its own connection to the
// analyses' database (WAL: a CLI and a server may use it at once).
#include <filesystem>
#include <mutex>

#include "core/error.h"
#include "storage/auth_schema.h"
#include "storage/auth_store.h"
#include "storage/files.h"
#include "storage/ids.h"
#include "storage/sqlite_db.h"

namespace soundlens {
namespace fs = std::filesystem;
using storage::Database;
using storage::Statement;

namespace {

constexpr const char* key_columns =
    "k.id, k.user_id, u.name, u.role, k.scope, k.hash, k.created_at, k.expires_at, k.revoked_at, "
    "k.expires_at IS NOT NULL AND k.expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

std::optional<std::string> optional_text(const Statement& row, int column) {
  if (!row.number(column)) return std::nullopt;  // NULL
  return row.text(column);
}

KeyRecord read_key(const Statement& row) {
  KeyRecord k;
  k.id = row.text(0);
  k.user_id = row.integer(1);
  k.user_name = row.text(2);
  k.role = row.text(3);
  k.scope = row.text(4);
  k.hash = row.text(5);
  k.created_at = row.text(6);
  k.expires_at = optional_text(row, 7);
  k.revoked_at = optional_text(row, 8);
  k.expired = row.integer(9) != 0;
  return k;
}

class SqliteAuthStore final : public AuthStore {
 public:
  explicit SqliteAuthStore(const fs::path& path) : db_(path.string()) {
    db_.exec("PRAGMA journal_mode=WAL;");
    db_.exec("PRAGMA synchronous=NORMAL;");
    db_.exec(storage::auth_tables().c_str());
  }

  UserRecord add_user(const std::string& name, const std::string& role) override {
    check_user_name(name);
    std::lock_guard lock(mutex_);
    if (find_user_locked(name)) throw Error(ErrorCode::bad_request, "a user named '" + name + "' exists already");
    UserRecord user{0, name, role, storage::utc_now_iso()};
    Statement insert(db_.prepare("INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)"));
    insert.bind(1, name).bind(2, role).bind(3, user.created_at).run();
    return *find_user_locked(name);
  }

  std::optional<UserRecord> find_user(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return find_user_locked(name);
  }

  std::vector<UserRecord> list_users() override {
    std::lock_guard lock(mutex_);
    std::vector<UserRecord> users;
    Statement rows(db_.prepare("SELECT id, name, role, created_at FROM users ORDER BY id"));
    while (rows.step()) users.push_back({rows.integer(0), rows.text(1), rows.text(2), rows.text(3)});
    return users;
  }

  KeyRecord add_key(const KeyRecord& key, std::optional<int> expires_days) override {
    std::lock_guard lock(mutex_);
    const std::string now = storage::utc_now_iso();
    Statement insert(db_.prepare(
        "INSERT INTO api_keys (id, user_id, scope, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, "
        "CASE WHEN ? < 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ?, '+' || ? || ' days') END)"));
    const std::int64_t days = expires_days ? *expires_days : -1;
    insert.bind(1, key.id).bind(2, key.user_id).bind(3, key.scope).bind(4, key.hash).bind(5, now);
    insert.bind(6, days).bind(7, now).bind(8, days).run();
    return *find_key_locked(key.id);
  }

  std::optional<KeyRecord> find_key(const std::string& id) override {
    std::lock_guard lock(mutex_);
    return find_key_locked(id);
  }

  std::vector<KeyRecord> list_keys() override {
    std::lock_guard lock(mutex_);
    std::vector<KeyRecord> keys;
    Statement rows(db_.prepare((std::string("SELECT ") + key_columns +
                                " FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at")
                                   .c_str()));
    while (rows.step()) keys.push_back(read_key(rows));
    return keys;
  }

  bool revoke_key(const std::string& id) override {
    std::lock_guard lock(mutex_);
    Statement revoke(db_.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    revoke.bind(1, storage::utc_now_iso()).bind(2, id).run();
    return db_.changes() > 0;
  }

  void append_audit(const AuditRecord& r) override {
    std::lock_guard lock(mutex_);
    Statement insert(db_.prepare(
        "INSERT INTO audit (at, user_id, user_name, key_id, action, analysis_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    insert.bind(1, storage::utc_now_iso());
    if (r.user_id) insert.bind(2, *r.user_id);
    else insert.bind(2, std::optional<double>{});
    insert.bind(3, r.user_name).bind(4, r.key_id).bind(5, r.action).bind(6, r.analysis_id).bind(7, r.detail).run();
  }

  AuditPage list_audit(int limit, std::int64_t offset) override {
    std::lock_guard lock(mutex_);
    AuditPage page;
    Statement count(db_.prepare("SELECT COUNT(*) FROM audit"));
    if (count.step()) page.total = count.integer(0);
    Statement rows(db_.prepare(
        "SELECT seq, at, user_id, user_name, key_id, action, analysis_id, detail FROM audit ORDER BY seq DESC "
        "LIMIT ? OFFSET ?"));
    rows.bind(1, std::int64_t(limit)).bind(2, offset);
    while (rows.step()) {
      AuditRecord r;
      r.seq = rows.integer(0);
      r.at = rows.text(1);
      if (rows.number(2)) r.user_id = rows.integer(2);
      r.user_name = rows.text(3);
      r.key_id = rows.text(4);
      r.action = rows.text(5);
      r.analysis_id = rows.text(6);
      r.detail = rows.text(7);
      page.items.push_back(std::move(r));
    }
    return page;
  }

  void set_password_hash(std::int64_t user_id, const std::string& hash) override {
    std::lock_guard lock(mutex_);
    Statement upsert(db_.prepare(
        "INSERT INTO user_passwords (user_id, hash, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at"));
    upsert.bind(1, user_id).bind(2, hash).bind(3, storage::utc_now_iso()).run();
  }

  std::optional<std::string> password_hash(std::int64_t user_id) override {
    std::lock_guard lock(mutex_);
    Statement row(db_.prepare("SELECT hash FROM user_passwords WHERE user_id = ?"));
    row.bind(1, user_id);
    if (!row.step()) return std::nullopt;
    return row.text(0);
  }

 private:
  std::optional<UserRecord> find_user_locked(const std::string& name) {
    Statement row(db_.prepare("SELECT id, name, role, created_at FROM users WHERE name = ?"));
    row.bind(1, name);
    if (!row.step()) return std::nullopt;
    return UserRecord{row.integer(0), row.text(1), row.text(2), row.text(3)};
  }

  std::optional<KeyRecord> find_key_locked(const std::string& id) {
    Statement row(db_.prepare(
        (std::string("SELECT ") + key_columns + " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?")
            .c_str()));
    row.bind(1, id);
    if (!row.step()) return std::nullopt;
    return read_key(row);
  }

  std::mutex mutex_;
  Database db_;
};

}  // namespace

// Names are printed and typed on command lines: keep them plain.
void check_user_name(const std::string& name) {
  bool plain = !name.empty() && name.size() <= 64;
  for (char c : name)
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '@');
  if (!plain)
    throw Error(ErrorCode::bad_request,
                "user names are 1 to 64 characters among letters, digits and _ - . @, not '" + name + "'");
}

void AuthStore::set_password_hash(std::int64_t, const std::string&) {
  throw Error(ErrorCode::internal, "this store of users keeps no passwords");
}

std::optional<std::string> AuthStore::password_hash(std::int64_t) { return std::nullopt; }

std::unique_ptr<AuthStore> open_sqlite_auth_store(const std::string& data_dir) {
  storage::create_private_directory(data_dir);
  return std::make_unique<SqliteAuthStore>(fs::path(data_dir) / "soundlens.db");
}

}  // namespace soundlens
