#pragma once
// The PostgreSQL schema as numbered migrations, recorded in
// schema_migrations(version, applied_at). Internal to storage.
#include <string>
#include <vector>

#include "storage/pg_db.h"

namespace soundlens::storage::pg {

struct Migration {
  int version;
  std::string sql;
};

// Every migration, oldest first.
const std::vector<Migration>& migrations();

// Applies the migrations the database lacks, each in its own transaction
// under a transaction-level advisory lock, so that several processes starting
// at once apply each exactly once. Returns the version reached.
int migrate(Connection& connection);

}  // namespace soundlens::storage::pg
