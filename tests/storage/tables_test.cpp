// The tables both backends have are written once (storage/tables.cpp): a
// fresh SQLite directory and a fresh PostgreSQL database, opened by the real
// stores (analyses, jobs, batches, users and sign-in), hold the same columns with the same nullability, PostgreSQL adding
// only the columns it alone needs (the job lease, the analysis' job id).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "pg_test_database.h"
#include "storage/analysis_store.h"
#include "storage/batch_store.h"
#include "storage/job_store.h"
#include "storage/sqlite_db.h"

namespace fs = std::filesystem;
using namespace soundlens;

namespace {

using Columns = std::map<std::string, std::string>;  // name: "null" or "not null"

Columns parse(const std::string& listed) {  // "name:not null,name:null,..."
  Columns columns;
  std::stringstream in(listed);
  for (std::string item; std::getline(in, item, ',');) {
    const auto colon = item.find(':');
    columns[item.substr(0, colon)] = item.substr(colon + 1);
  }
  return columns;
}

const char* tables[] = {"analyses", "jobs",     "batches",        "batch_items",
                        "users",    "api_keys", "user_passwords", "web_sessions", "audit",
                        "event_reviews"};

std::map<std::string, Columns> sqlite_columns(const fs::path& dir) {
  open_sqlite_store(dir.string());
  open_sqlite_jobs(dir.string());
  open_sqlite_batches(dir.string());
  storage::Database db((dir / "soundlens.db").string());
  std::map<std::string, Columns> out;
  for (const std::string table : tables) {
    // A primary key's column is never NULL, whether or not it says so.
    storage::Statement row(db.prepare(
        ("SELECT group_concat(name || ':' || CASE WHEN \"notnull\" OR pk > 0 THEN 'not null' ELSE 'null' END, ',')"
         " FROM pragma_table_info('" + table + "')").c_str()));
    if (row.step()) out[table] = parse(row.text(0));
  }
  return out;
}

std::map<std::string, Columns> postgres_columns(const soundlens::testing::PgTestDatabase& db, const fs::path& dir) {
  open_postgres_store(db.conninfo(), dir.string());
  open_postgres_jobs(db.conninfo());
  open_postgres_batches(db.conninfo());
  std::map<std::string, Columns> out;
  for (const std::string table : tables)
    out[table] = parse(db.scalar(
        "SELECT string_agg(column_name || ':' || CASE WHEN is_nullable = 'NO' THEN 'not null' ELSE 'null' END, ',')"
        " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '" + table + "'"));
  return out;
}

TEST(Tables, BothBackendsHaveTheSameColumnsSaveWhatPostgresAloneNeeds) {
  SOUNDLENS_NEED_POSTGRES();
  const fs::path dir = fs::temp_directory_path() / ("soundlens-tables-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto sqlite = sqlite_columns(dir / "sqlite");
  soundlens::testing::PgTestDatabase database(*soundlens::testing::postgres_test_server());
  auto postgres = postgres_columns(database, dir / "postgres");
  fs::remove_all(dir);

  const std::map<std::string, std::set<std::string>> postgres_alone = {
      {"analyses", {"job_id"}}, {"jobs", {"worker", "lease_until", "cancel_requested", "attempts", "version"}}};
  for (const std::string table : tables) {
    ASSERT_FALSE(sqlite.at(table).empty()) << table << " missing in SQLite";
    ASSERT_FALSE(postgres.at(table).empty()) << table << " missing in PostgreSQL";
    std::set<std::string> extra;
    for (const auto& [name, nullable] : postgres.at(table))
      if (!sqlite.at(table).contains(name)) extra.insert(name);
    const auto alone = postgres_alone.find(table);
    EXPECT_EQ(extra, alone == postgres_alone.end() ? std::set<std::string>{} : alone->second) << table;
    for (const auto& name : extra) postgres.at(table).erase(name);
    EXPECT_EQ(sqlite.at(table), postgres.at(table)) << table;
  }
  EXPECT_EQ(sqlite.at("jobs").size(), 17u);  // seq and the 16 columns a JobRecord is read from
}

}  // namespace
