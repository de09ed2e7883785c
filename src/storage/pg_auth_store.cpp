// The PostgreSQL implementation of AuthStore, and the install secret kept in
// the database (every machine must hash keys with the same one).
#include <memory>

#include "core/error.h"
#include "storage/auth_store.h"
#include "storage/ids.h"
#include "storage/pg_pool.h"
#include "storage/pg_schema.h"

namespace soundlens {
using storage::pg::Param;
using storage::pg::Result;

namespace {

// Stored times are ISO 8601 UTC text (as on SQLite): "expired" compares them with now in that form.
constexpr const char* key_columns =
    "k.id, k.user_id, u.name, u.role, k.scope, k.hash, k.created_at, k.expires_at, k.revoked_at, "
    "k.expires_at IS NOT NULL AND k.expires_at <= $1";

std::optional<std::string> optional_text(const Result& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return r.text(row, column);
}

KeyRecord read_key(const Result& r, int i) {
  KeyRecord k;
  k.id = r.text(i, 0);
  k.user_id = r.integer(i, 1);
  k.user_name = r.text(i, 2);
  k.role = r.text(i, 3);
  k.scope = r.text(i, 4);
  k.hash = r.text(i, 5);
  k.created_at = r.text(i, 6);
  k.expires_at = optional_text(r, i, 7);
  k.revoked_at = optional_text(r, i, 8);
  k.expired = r.boolean(i, 9);
  return k;
}

UserRecord read_user(const Result& r, int i) { return {r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3)}; }

class PostgresAuthStore final : public AuthStore {
 public:
  explicit PostgresAuthStore(const std::string& conninfo) : pool_(conninfo, 4) { storage::pg::migrate(*pool_.take()); }

  UserRecord add_user(const std::string& name, const std::string& role) override {
    check_user_name(name);
    auto db = pool_.take();
    // ON CONFLICT: two processes adding the same name at once get one row and one error.
    const auto r = db->query(
        "INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING "
        "RETURNING id, name, role, created_at",
        {name, role, storage::utc_now_iso()});
    if (r.rows() == 0) throw Error(ErrorCode::bad_request, "a user named '" + name + "' exists already");
    return read_user(r, 0);
  }

  std::optional<UserRecord> find_user(const std::string& name) override {
    const auto r = pool_.take()->query("SELECT id, name, role, created_at FROM users WHERE name = $1", {name});
    if (r.rows() == 0) return std::nullopt;
    return read_user(r, 0);
  }

  std::vector<UserRecord> list_users() override {
    const auto r = pool_.take()->query("SELECT id, name, role, created_at FROM users ORDER BY id");
    std::vector<UserRecord> users;
    for (int i = 0; i < r.rows(); ++i) users.push_back(read_user(r, i));
    return users;
  }

  KeyRecord add_key(const KeyRecord& key, std::optional<int> expires_days) override {
    const auto now = std::chrono::system_clock::now();
    const Param expires = expires_days ? Param(storage::utc_iso(now + std::chrono::hours(24) * *expires_days)) : Param();
    pool_.take()->query(
        "INSERT INTO api_keys (id, user_id, scope, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {key.id, key.user_id, key.scope, key.hash, storage::utc_iso(now), expires});
    return *find_key(key.id);
  }

  std::optional<KeyRecord> find_key(const std::string& id) override {
    const auto r = pool_.take()->query(
        std::string("SELECT ") + key_columns + " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $2",
        {storage::utc_now_iso(), id});
    if (r.rows() == 0) return std::nullopt;
    return read_key(r, 0);
  }

  std::vector<KeyRecord> list_keys() override {
    const auto r = pool_.take()->query(std::string("SELECT ") + key_columns +
                                           " FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at",
                                       {storage::utc_now_iso()});
    std::vector<KeyRecord> keys;
    for (int i = 0; i < r.rows(); ++i) keys.push_back(read_key(r, i));
    return keys;
  }

  bool revoke_key(const std::string& id) override {
    return pool_.take()
               ->query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                       {storage::utc_now_iso(), id})
               .affected() > 0;
  }

  void append_audit(const AuditRecord& r) override {
    pool_.take()->query(
        "INSERT INTO audit (at, user_id, user_name, key_id, action, analysis_id, detail) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {storage::utc_now_iso(), r.user_id, r.user_name, r.key_id, r.action, r.analysis_id, r.detail});
  }

  void set_password_hash(std::int64_t user_id, const std::string& hash) override {
    pool_.take()->query(
        "INSERT INTO user_passwords (user_id, hash, updated_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at",
        {user_id, hash, storage::utc_now_iso()});
  }

  std::optional<std::string> password_hash(std::int64_t user_id) override {
    const auto r = pool_.take()->query("SELECT hash FROM user_passwords WHERE user_id = $1", {user_id});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }

  AuditPage list_audit(int limit, std::int64_t offset) override {
    auto db = pool_.take();
    AuditPage page;
    page.total = db->query("SELECT count(*) FROM audit").integer(0, 0);
    const auto rows = db->query(
        "SELECT seq, at, user_id, user_name, key_id, action, analysis_id, detail FROM audit ORDER BY seq DESC "
        "LIMIT $1 OFFSET $2",
        {std::int64_t(limit), offset});
    for (int i = 0; i < rows.rows(); ++i) {
      AuditRecord r;
      r.seq = rows.integer(i, 0);
      r.at = rows.text(i, 1);
      r.user_id = rows.optional_integer(i, 2);
      r.user_name = rows.text(i, 3);
      r.key_id = rows.text(i, 4);
      r.action = rows.text(i, 5);
      r.analysis_id = rows.text(i, 6);
      r.detail = rows.text(i, 7);
      page.items.push_back(std::move(r));
    }
    return page;
  }

 private:
  storage::pg::Pool pool_;
};

}  // namespace

std::unique_ptr<AuthStore> open_postgres_auth_store(const std::string& conninfo) {
  return std::make_unique<PostgresAuthStore>(conninfo);
}

std::string postgres_install_secret(const std::string& conninfo, const std::string& fresh) {
  storage::pg::Connection db(conninfo);
  storage::pg::migrate(db);
  // The first process to get here decides; everyone after reads its value.
  db.query("INSERT INTO settings (name, value) VALUES ('install_secret', $1) ON CONFLICT (name) DO NOTHING", {fresh});
  const auto r = db.query("SELECT value FROM settings WHERE name = 'install_secret'");
  const std::string secret = r.text(0, 0);
  if (secret.size() != 64) throw Error(ErrorCode::internal, "the install secret in the database is damaged");
  return secret;
}

}  // namespace soundlens
