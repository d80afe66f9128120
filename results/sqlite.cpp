#include "results/sqlite.h"

#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

namespace hecto::results::sqlite {

Connection::Connection(const std::string& path, int flags) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_URI, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SqliteError(rc & 0xff, msg);
  }
  sqlite3_extended_result_codes(db_, 0);
}

Connection::~Connection() {
  if (db_) sqlite3_close_v2(db_);
}

Connection::Connection(Connection&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(rc & 0xff, msg);
  }
}

int64_t Connection::changes() const { return sqlite3_changes64(db_); }

std::string Connection::last_message() const { return sqlite3_errmsg(db_); }

void Connection::check(int rc, const std::string& what) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw SqliteError(rc & 0xff, what + ": " + last_message());
}

Statement::Statement(const Connection& db, std::string_view sql) : db_(&db) {
  int rc = sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) throw SqliteError(rc & 0xff, db.last_message() + " in: " + std::string(sql));
}

Statement::Statement(const Connection& db, sqlite3_stmt* raw) : db_(&db), stmt_(raw) {}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::bind(int index, std::nullptr_t) {
  db_->check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  db_->check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  db_->check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  db_->check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
  return *this;
}

Statement& Statement::bind_text_or_null(int index, const std::string& value) {
  return value.empty() ? bind(index, nullptr) : bind(index, value);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw SqliteError(rc & 0xff, db_->last_message());
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }
std::string Statement::column_name(int i) const { return sqlite3_column_name(stmt_, i); }
int Statement::column_type(int i) const { return sqlite3_column_type(stmt_, i); }
bool Statement::is_null(int i) const { return column_type(i) == SQLITE_NULL; }
int64_t Statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
double Statement::column_double(int i) const { return sqlite3_column_double(stmt_, i); }

std::string Statement::column_text(int i) const {
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (!text) return "";
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

std::optional<double> Statement::column_optional_double(int i) const {
  if (is_null(i)) return std::nullopt;
  return column_double(i);
}

bool Statement::readonly() const { return sqlite3_stmt_readonly(stmt_) != 0; }

std::string Statement::sql() const {
  const char* s = sqlite3_sql(stmt_);
  return s ? s : "";
}

Transaction::Transaction(Connection& db) : db_(db) {
  // The busy timeout already waits; this loop covers a writer holding the lock for longer
  // (a big merge) without making every caller handle SQLITE_BUSY.
  constexpr int kAttempts = 6;
  for (int attempt = 1;; ++attempt) {
    try {
      db_.exec("BEGIN IMMEDIATE");
      open_ = true;
      return;
    } catch (const SqliteError& e) {
      if (e.code() != SQLITE_BUSY || attempt == kAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
    }
  }
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

namespace {
void sqrt_function(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  double x = sqlite3_value_double(argv[0]);
  if (x < 0) return sqlite3_result_null(ctx);
  sqlite3_result_double(ctx, std::sqrt(x));
}
}  // namespace

void ensure_math_functions(Connection& db) {
  sqlite3_stmt* probe = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), "SELECT sqrt(4)", -1, &probe, nullptr);
  sqlite3_finalize(probe);
  if (rc == SQLITE_OK) return;
  db.check(sqlite3_create_function(db.get(), "sqrt", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, sqrt_function,
                                   nullptr, nullptr),
           "registering sqrt");
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string file_uri(const std::string& path, const std::string& query) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "file:";
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return query.empty() ? out : out + "?" + query;
}

}  // namespace hecto::results::sqlite
