#include "pg_test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include "storage/pg_db.h"

namespace soundlens::testing {

std::optional<std::string> postgres_test_server() {
  const char* value = std::getenv("SOUNDLENS_TEST_POSTGRES");
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

bool postgres_required() {
  const char* value = std::getenv("SOUNDLENS_REQUIRE_POSTGRES");
  return value && std::string(value) == "1";
}

std::string postgres_missing_message() {
  return "the PostgreSQL variant needs a server: set SOUNDLENS_TEST_POSTGRES to the conninfo of a role that may "
         "CREATE DATABASE (e.g. postgresql://postgres@/postgres?host=/var/run/postgresql), or run "
         "scripts/test.sh, which starts a throwaway cluster";
}

std::string with_database(const std::string& conninfo, const std::string& database) {
  if (!storage::pg::is_postgres_uri(conninfo)) return conninfo + " dbname=" + database;
  const auto authority = conninfo.find("://") + 3;
  const auto path = conninfo.find_first_of("/?", authority);
  if (path == std::string::npos) return conninfo + "/" + database;
  const auto query = conninfo.find('?', path);
  const std::string rest = query == std::string::npos ? "" : conninfo.substr(query);
  return conninfo.substr(0, path) + "/" + database + rest;
}

PgTestDatabase::PgTestDatabase(const std::string& server) : server_(server) {
  static std::atomic<int> counter = 0;
  std::random_device random;
  name_ = "soundlens_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(random() % 1000000);
  storage::pg::Connection admin(server_);
  // Names cannot be parameters; this one is made of digits and letters above.
  admin.script("CREATE DATABASE " + name_);
  conninfo_ = with_database(server_, name_);
}

PgTestDatabase::~PgTestDatabase() {
  try {
    storage::pg::Connection admin(server_);
    admin.script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

void PgTestDatabase::exec(const std::string& sql) const {
  storage::pg::Connection db(conninfo_);
  db.script(sql);
}

std::string PgTestDatabase::scalar(const std::string& sql) const {
  storage::pg::Connection db(conninfo_);
  const auto r = db.query(sql);
  return r.rows() > 0 ? r.text(0, 0) : std::string();
}

}  // namespace soundlens::testing
