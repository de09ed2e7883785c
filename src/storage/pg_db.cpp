#include "storage/pg_db.h"

#include <libpq-fe.h>

#include <regex>
#include <type_traits>

#include "core/error.h"

namespace soundlens::storage::pg {
namespace {

// libpq's messages end in a newline and may span lines ("DETAIL: ..."): keep the first.
std::string first_line(const char* message) {
  std::string text = message ? message : "";
  const auto end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text.empty() ? "unknown error" : text;
}

}  // namespace

Param::Param(std::optional<double> number) {
  if (number) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", *number);
    value = buffer;
  }
}

Param::Param(std::optional<std::int64_t> number) {
  if (number) value = std::to_string(*number);
}

Param Param::bytes(std::span<const std::uint8_t> data) {
  Param p;
  p.value = std::string(reinterpret_cast<const char*>(data.data()), data.size());
  p.binary = true;
  return p;
}

Result::~Result() { PQclear(result_); }
int Result::rows() const { return PQntuples(result_); }
int Result::affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::atoi(n) : 0;
}
bool Result::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), std::size_t(PQgetlength(result_, row, column)));
}
std::int64_t Result::integer(int row, int column) const { return std::stoll(text(row, column)); }
std::optional<double> Result::number(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::stod(text(row, column));
}
std::optional<std::int64_t> Result::optional_integer(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return integer(row, column);
}
bool Result::boolean(int row, int column) const { return text(row, column) == "t"; }
std::vector<std::uint8_t> Result::bytes(int row, int column) const {
  const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(result_, row, column));
  return {data, data + PQgetlength(result_, row, column)};
}

std::string redact_conninfo(const std::string& conninfo) {
  static const std::regex uri_password(R"(^(postgres(ql)?://[^:@/?]*):[^@/?]*@)");
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  static const std::regex pair_password(R"((^|\s)(password\s*=\s*)('([^'\\]|\\.)*'|\S*))");
  std::string text = std::regex_replace(conninfo, uri_password, "$1:***@");
  text = std::regex_replace(text, query_password, "$1***");
  return std::regex_replace(text, pair_password, "$1$2***");
}

bool is_postgres_uri(const std::string& text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

Connection::Connection(const std::string& conninfo) : where_(redact_conninfo(conninfo)) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (!conn_) throw Error(ErrorCode::internal, "cannot connect to PostgreSQL " + where_ + ": out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = first_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(ErrorCode::internal, "cannot connect to PostgreSQL " + where_ + ": " + message);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors: keep them off stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Result Connection::run(const std::string& sql, const std::vector<Param>& params, int result_format) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const auto& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? int(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  Result result(PQexecParams(conn_, sql.c_str(), int(params.size()), nullptr, values.data(), lengths.data(),
                             formats.data(), result_format));
  pg_result* raw = result.result_;
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const std::string message = raw ? first_line(PQresultErrorMessage(raw)) : first_line(PQerrorMessage(conn_));
    throw Error(ErrorCode::internal, "database: " + message);
  }
  return result;
}

Result Connection::query(const std::string& sql, const std::vector<Param>& params) { return run(sql, params, 0); }
Result Connection::query_binary(const std::string& sql, const std::vector<Param>& params) {
  return run(sql, params, 1);
}

void Connection::script(const std::string& sql) {
  Result result(PQexec(conn_, sql.c_str()));
  pg_result* raw = result.result_;
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw Error(ErrorCode::internal,
                "database: " + (raw ? first_line(PQresultErrorMessage(raw)) : first_line(PQerrorMessage(conn_))));
}

void Connection::rollback_quietly() noexcept { PQclear(PQexec(conn_, "ROLLBACK")); }

}  // namespace soundlens::storage::pg
