#pragma once
// A thin RAII layer over the SQLite C API, internal to storage (the sqlite3
// types are only forward-declared here; sqlite3.h stays in the .cpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace soundlens::storage {

class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::optional<double> value);  // nullopt binds NULL
  bool step();  // true while a row is available; throws Error(internal) on failure
  void run();   // steps to completion
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<double> number(int column) const;  // nullopt for NULL

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);
  Statement prepare(const char* sql) { return Statement(db_, sql); }
  int changes() const;
  // body() inside BEGIN IMMEDIATE ... COMMIT: the write lock is taken first, so
  // other connections to the file (other stores, other processes) wait; rolled
  // back when body throws.
  void immediate_transaction(const std::function<void()>& body);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace soundlens::storage
