#pragma once
// The auth tables on SQLite (users, keys, the audit log and web sign-in, as
// tables.cpp writes them for both backends), created by the analyses' store
// and, for a database the CLI or a sign-in opens first, by the auth and
// session stores. Internal to storage.
#include <string>

#include "storage/tables.h"

namespace soundlens::storage {

// The audit log is append-only: triggers refuse every UPDATE and DELETE.
inline std::string auth_tables() {
  return user_tables(Dialect::sqlite) + sign_in_tables(Dialect::sqlite) + R"sql(
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";
}

}  // namespace soundlens::storage
