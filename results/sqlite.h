#pragma once
// Thin RAII wrappers over SQLite's C API: a connection, a prepared statement, a transaction.
// They turn every SQLite failure into a SqliteError carrying the result code, so callers can
// tell a user's bad SQL (InputError) from a broken file (RunError).
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace hecto::results::sqlite {

class SqliteError : public common::RunError {
 public:
  SqliteError(int code, const std::string& message) : common::RunError(message), code_(code) {}
  int code() const { return code_; }  // primary result code (SQLITE_BUSY, SQLITE_CONSTRAINT, ...)

 private:
  int code_;
};

class Connection {
 public:
  // flags: SQLITE_OPEN_* (always adds SQLITE_OPEN_URI so ATTACH can say mode=ro).
  Connection(const std::string& path, int flags);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  // Runs one or more statements that return no rows the caller needs.
  void exec(const std::string& sql);
  int64_t changes() const;
  std::string last_message() const;
  // Throws SqliteError with `what` and SQLite's message when rc is not OK/ROW/DONE.
  void check(int rc, const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(const Connection& db, std::string_view sql);
  // Adopts an already prepared statement (multi-statement query text).
  Statement(const Connection& db, sqlite3_stmt* raw);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);  // NaN is stored as NULL (SQLite's rule)
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  // Empty text becomes NULL: optional provenance fields read as absent, not as "".
  Statement& bind_text_or_null(int index, const std::string& value);

  bool step();   // true: a row is ready; false: done
  void run();    // step until done (statements without rows)
  void reset();  // clears bindings too, ready for the next run

  int column_count() const;
  std::string column_name(int i) const;
  int column_type(int i) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL
  bool is_null(int i) const;
  int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;  // NULL as ""
  std::optional<double> column_optional_double(int i) const;

  bool readonly() const;
  std::string sql() const;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  const Connection* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE (write lock taken up front, so two writers never deadlock upgrading a read
// lock); retried on SQLITE_BUSY beyond the busy timeout. Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool open_ = false;
};

// Makes sqrt() available to the views on this connection: Debian's SQLite has the math
// functions built in; a build without them gets ours.
void ensure_math_functions(Connection& db);

// Quotes text as an SQL string literal ('it''s').
std::string quote_literal(std::string_view text);
// A file path as an SQLite URI ("file:/a%20b.db?mode=ro"), escaping what URIs reserve.
std::string file_uri(const std::string& path, const std::string& query);

}  // namespace hecto::results::sqlite
