#include "app/stores.h"

#include <filesystem>

#include "auth/install_secret.h"
#include "auth/keys.h"
#include "core/error.h"
#include "storage/pg_db.h"

namespace soundlens {

Parameter database_parameter() {
  return Parameter{"database",
                   "PostgreSQL for the history, recordings, jobs, users and keys, shared by several servers and "
                   "workers: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB (also postgres://; libpq's ?host=/socket/dir "
                   "and PG* variables apply). Empty: SQLite in --data-dir, which then only holds a local cache",
                   "", Parameter::Kind::text, 0, 0, {}};
}

Parameter job_lease_parameter() {
  return Parameter{"job-lease-s",
                   "with --database: seconds a job stays with a worker that stopped renewing it (it died) before "
                   "another worker takes it",
                   "30", Parameter::Kind::number, 1, 3600, {}};
}

std::string database_conninfo(const ParameterValues& p) {
  const std::string value = p.text("database");
  if (value.empty() || storage::pg::is_postgres_uri(value)) return value;
  const auto scheme = value.find("://");
  throw Error(ErrorCode::bad_request,
              "--database must be a postgresql:// or postgres:// URI" +
                  (scheme == std::string::npos || scheme > 20 ? std::string()
                                                              : " (got a " + value.substr(0, scheme) + ":// URI)") +
                  "; leave it out to use SQLite in --data-dir");
}

std::unique_ptr<AuthStore> open_auth_store(const ParameterValues& p) {
  const std::string conninfo = database_conninfo(p);
  return conninfo.empty() ? open_sqlite_auth_store(p.text("data-dir")) : open_postgres_auth_store(conninfo);
}

std::unique_ptr<SessionStore> open_session_store(const ParameterValues& p) {
  const std::string conninfo = database_conninfo(p);
  return conninfo.empty() ? open_sqlite_session_store(p.text("data-dir")) : open_postgres_session_store(conninfo);
}

std::string install_secret(const ParameterValues& p) {
  const std::string conninfo = database_conninfo(p);
  // In the database with PostgreSQL: every machine must accept the same keys.
  return conninfo.empty() ? auth::load_or_create_install_secret(p.text("data-dir"))
                          : postgres_install_secret(conninfo, auth::random_hex(32));
}

Stores open_stores(const ParameterValues& p) {
  const std::string conninfo = database_conninfo(p);
  Stores stores;
  if (conninfo.empty()) {
    stores.analyses = open_sqlite_store(p.text("data-dir"));
    stores.where = std::filesystem::absolute(p.text("data-dir")).string();
  } else {
    stores.analyses = open_postgres_store(conninfo, p.text("data-dir"));
    stores.where = "PostgreSQL " + storage::pg::redact_conninfo(conninfo) + ", local cache in " +
                   std::filesystem::absolute(p.text("data-dir")).string();
  }
  stores.auth = open_auth_store(p);
  stores.install_secret = install_secret(p);
  return stores;
}

}  // namespace soundlens
