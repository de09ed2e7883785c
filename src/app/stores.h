#pragma once
// Where serve, worker, users and keys keep their data: PostgreSQL when
// --database is given, else SQLite in --data-dir. One place decides, so that
// every command reads the option the same way.
#include <memory>
#include <string>

#include "core/parameters.h"
#include "storage/analysis_store.h"
#include "storage/auth_store.h"
#include "storage/session_store.h"

namespace soundlens {

// --database and --job-lease-s, declared once for every command that takes them.
Parameter database_parameter();
Parameter job_lease_parameter();

// The --database value checked for form ("" = SQLite): a postgresql:// or
// postgres:// URI, else Error(bad_request) naming the option (never echoing
// what may hold a password).
std::string database_conninfo(const ParameterValues& p);

struct Stores {
  std::shared_ptr<AnalysisStore> analyses;
  std::shared_ptr<AuthStore> auth;
  std::string install_secret;  // what API keys are hashed with
  std::string where;           // for the start-up line: the data directory, or the database without password
};

// With PostgreSQL, --data-dir holds only the local, disposable cache.
Stores open_stores(const ParameterValues& p);
std::unique_ptr<AuthStore> open_auth_store(const ParameterValues& p);
std::unique_ptr<SessionStore> open_session_store(const ParameterValues& p);
std::string install_secret(const ParameterValues& p);

}  // namespace soundlens
