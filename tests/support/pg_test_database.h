#pragma once
// A fresh PostgreSQL database per test, on the server named by
// $SOUNDLENS_TEST_POSTGRES (a postgresql:// URI or key=value conninfo of a
// role that may CREATE DATABASE); dropped at the end. scripts/test.sh starts
// a throwaway cluster and sets it (with SOUNDLENS_REQUIRE_POSTGRES=1, so that
// a missing server fails there instead of skipping).
#include <optional>
#include <string>

namespace soundlens::testing {

class PgTestDatabase {
 public:
  // Creates the database; throws when the server cannot be reached.
  explicit PgTestDatabase(const std::string& server);
  ~PgTestDatabase();
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }
  // Runs SQL on the test database (test set-up only).
  void exec(const std::string& sql) const;
  // The first column of the first row of a query, as text ("" if none).
  std::string scalar(const std::string& sql) const;

 private:
  std::string server_, name_, conninfo_;
};

// $SOUNDLENS_TEST_POSTGRES, or nullopt.
std::optional<std::string> postgres_test_server();
// The message for a test that needs the server when it is not set.
std::string postgres_missing_message();
// Whether the variable is required (SOUNDLENS_REQUIRE_POSTGRES=1: CI).
bool postgres_required();
// conninfo with its database replaced by `database`.
std::string with_database(const std::string& conninfo, const std::string& database);

}  // namespace soundlens::testing

// In a test body or SetUp: skips (or fails, in CI) when no server is given.
#define SOUNDLENS_NEED_POSTGRES()                                                              \
  do {                                                                                         \
    if (!::soundlens::testing::postgres_test_server()) {                                       \
      if (::soundlens::testing::postgres_required()) FAIL() << ::soundlens::testing::postgres_missing_message(); \
      GTEST_SKIP() << ::soundlens::testing::postgres_missing_message();                        \
    }                                                                                          \
  } while (0)
