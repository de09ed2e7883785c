#pragma once
// A thin RAII layer over libpq, internal to storage (libpq's types are only
// forward-declared here; libpq-fe.h stays in the .cpp). Every statement goes
// through PQexecParams with its values as parameters: SQL is never built from
// values. bytea travels in binary.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace soundlens::storage::pg {

// One parameter: a text value, NULL, or bytes sent in binary (for bytea).
struct Param {
  std::optional<std::string> value;
  bool binary = false;
  Param() = default;                                    // NULL
  Param(std::string text) : value(std::move(text)) {}   // NOLINT: implicit on purpose
  Param(const char* text) : value(std::string(text)) {}  // NOLINT
  Param(std::int64_t number) : value(std::to_string(number)) {}  // NOLINT
  Param(int number) : value(std::to_string(number)) {}            // NOLINT
  Param(std::optional<double> number);                            // NOLINT: nullopt = NULL
  Param(std::optional<std::int64_t> number);                      // NOLINT: nullopt = NULL
  static Param bytes(std::span<const std::uint8_t> data);
};

class Result {
 public:
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  int rows() const;
  int affected() const;  // rows changed by INSERT/UPDATE/DELETE
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;  // "" for NULL
  std::int64_t integer(int row, int column) const;
  std::optional<double> number(int row, int column) const;  // nullopt for NULL
  std::optional<std::int64_t> optional_integer(int row, int column) const;
  bool boolean(int row, int column) const;  // 't'
  // A bytea column of a statement run with binary results (Connection::query_binary).
  std::vector<std::uint8_t> bytes(int row, int column) const;

 private:
  friend class Connection;
  pg_result* result_;
};

class Connection {
 public:
  // conninfo: a postgresql:// or postgres:// URI or key=value pairs. Throws
  // Error(internal) with a one-line message that never contains the password.
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement; throws Error(internal) on failure (the server's message).
  Result query(const std::string& sql, const std::vector<Param>& params = {});
  // The same, with results in binary (for reading bytea; other columns must not be read as text).
  Result query_binary(const std::string& sql, const std::vector<Param>& params = {});
  // Several statements without parameters (schema scripts).
  void script(const std::string& sql);
  // False once the server connection broke (the pool drops it).
  bool healthy() const;
  // Runs fn inside BEGIN/COMMIT; rolls back and rethrows on an exception.
  template <typename Fn>
  auto transaction(Fn&& fn) {
    script("BEGIN");
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        script("COMMIT");
      } else {
        auto result = fn();
        script("COMMIT");
        return result;
      }
    } catch (...) {
      rollback_quietly();
      throw;
    }
  }

 private:
  Result run(const std::string& sql, const std::vector<Param>& params, int result_format);
  void rollback_quietly() noexcept;
  pg_conn* conn_ = nullptr;
  std::string where_;  // the redacted conninfo, for messages
};

// The conninfo with any password replaced by "***" (URI user:password@, ?password=, password=).
std::string redact_conninfo(const std::string& conninfo);
// True for postgresql:// and postgres:// URIs.
bool is_postgres_uri(const std::string& text);

}  // namespace soundlens::storage::pg
