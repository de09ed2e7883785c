// The PostgreSQL implementation of SessionStore (table web_sessions,
// migration v5): a session made on one server is valid on every server of the
// cluster, and signing out anywhere ends it everywhere.
#include <chrono>
#include <memory>

#include "core/error.h"
#include "storage/ids.h"
#include "storage/pg_pool.h"
#include "storage/pg_schema.h"
#include "storage/session_store.h"

namespace soundlens {
namespace {

using storage::pg::Result;

SessionRecord read_row(const Result& r, const std::string& now) {
  SessionRecord s;
  s.token_hash = r.text(0, 0);
  s.user_id = r.integer(0, 1);
  s.user_name = r.text(0, 2);
  s.role = r.text(0, 3);
  s.csrf_token = r.text(0, 4);
  s.created_at = r.text(0, 5);
  s.expires_at = r.text(0, 6);
  s.expired = s.expires_at <= now;  // the same ISO 8601 UTC form: text order is time order
  return s;
}

class PostgresSessionStore final : public SessionStore {
 public:
  explicit PostgresSessionStore(const std::string& conninfo) : pool_(conninfo, 4) {
    storage::pg::migrate(*pool_.take());
  }

  SessionRecord add_session(const SessionRecord& s, std::int64_t lifetime_s) override {
    const auto now = std::chrono::system_clock::now();
    const std::string created = storage::utc_iso(now);
    const std::string expires = storage::utc_iso(now + std::chrono::seconds(lifetime_s));
    auto db = pool_.take();
    db->query("DELETE FROM web_sessions WHERE expires_at <= $1", {created});
    // No such user: the foreign key refuses the row, and nothing is left behind.
    const auto inserted = db->query(
        "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at)"
        " SELECT $1, id, $3, $4, $5 FROM users WHERE id = $2",
        {s.token_hash, s.user_id, s.csrf_token, created, expires});
    if (inserted.affected() == 0)
      throw Error(ErrorCode::internal, "a session for unknown user id " + std::to_string(s.user_id));
    return *find_session(s.token_hash);
  }

  std::optional<SessionRecord> find_session(const std::string& token_hash) override {
    const auto r = pool_.take()->query(
        "SELECT s.token_hash, s.user_id, u.name, u.role, s.csrf_token, s.created_at, s.expires_at"
        " FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        {token_hash});
    if (r.rows() == 0) return std::nullopt;
    return read_row(r, storage::utc_now_iso());
  }

  bool delete_session(const std::string& token_hash) override {
    return pool_.take()->query("DELETE FROM web_sessions WHERE token_hash = $1", {token_hash}).affected() > 0;
  }

  int delete_user_sessions(std::int64_t user_id) override {
    return pool_.take()->query("DELETE FROM web_sessions WHERE user_id = $1", {user_id}).affected();
  }

 private:
  storage::pg::Pool pool_;
};

}  // namespace

std::unique_ptr<SessionStore> open_postgres_session_store(const std::string& conninfo) {
  return std::make_unique<PostgresSessionStore>(conninfo);
}

}  // namespace soundlens
