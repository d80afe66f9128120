// Store::query: user SQL on a read-only connection, refused before anything runs if any
// statement could write.
#include <charconv>
#include <cstring>

#include "results/store_impl.h"

namespace hecto::results {

namespace {

const common::SourceLocation kSqlInput{"SQL"};
const char* kReadOnlyExpected = "SELECT, WITH, EXPLAIN or a PRAGMA that only reads";

// ATTACH and DETACH count as read-only to sqlite3_stmt_readonly, yet they open other files.
int deny_attach(void*, int action, const char*, const char*, const char*, const char*) {
  return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  size_t b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
  return b == std::string::npos ? "" : text.substr(b, e - b + 1);
}

std::string format_real(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string format_blob(const void* data, int size) {
  static const char* hex = "0123456789abcdef";
  std::string out = "x'";
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (int i = 0; i < size; ++i) {
    out += hex[bytes[i] >> 4];
    out += hex[bytes[i] & 15];
  }
  return out + "'";
}

// The user's SQL was wrong (exit 2), or the database failed under it (exit 1).
[[noreturn]] void throw_query_error(const std::string& path, const sqlite::SqliteError& e) {
  const int code = e.code();
  if (code == SQLITE_ERROR || code == SQLITE_MISMATCH || code == SQLITE_TOOBIG || code == SQLITE_RANGE ||
      code == SQLITE_CONSTRAINT)
    throw common::InputError(kSqlInput, std::string("SQL error: ") + e.what());
  rethrow_as_run_error(path, "running the query", e);
}

std::vector<sqlite::Statement> prepare_all(const sqlite::Connection& db, const std::string& path,
                                           const std::string& sql) {
  std::vector<sqlite::Statement> statements;
  const char* tail = sql.c_str();
  const char* end = tail + sql.size();
  while (tail < end) {
    sqlite3_stmt* raw = nullptr;
    const char* start = tail;
    int rc = sqlite3_prepare_v2(db.get(), start, static_cast<int>(end - start), &raw, &tail);
    if (rc == SQLITE_AUTH)
      throw common::InputError(kSqlInput, "query is read-only: " + one_line(std::string(start, tail)),
                               kReadOnlyExpected);
    if (rc != SQLITE_OK) throw_query_error(path, sqlite::SqliteError(rc & 0xff, db.last_message()));
    if (!raw) continue;  // whitespace or a comment
    statements.emplace_back(db, raw);
    if (!statements.back().readonly())
      throw common::InputError(kSqlInput, "query is read-only: " + one_line(statements.back().sql()),
                               kReadOnlyExpected);
  }
  return statements;
}

}  // namespace

QueryResult Store::query(const std::string& sql) const {
  sqlite::Connection* db = nullptr;
  if (impl_->mode == Mode::ReadOnly) {
    db = &impl_->db;
  } else {
    if (!impl_->query_db) impl_->query_db.emplace(open_connection(impl_->path, Mode::ReadOnly));
    db = &*impl_->query_db;
  }
  sqlite3_set_authorizer(db->get(), deny_attach, nullptr);

  QueryResult result;
  for (auto& st : prepare_all(*db, impl_->path, sql)) {
    QueryResult current;
    const int n = st.column_count();
    for (int i = 0; i < n; ++i) current.columns.push_back(st.column_name(i));
    try {
      while (st.step()) {
        std::vector<std::string> row;
        std::vector<ValueType> types;
        for (int i = 0; i < n; ++i) {
          switch (st.column_type(i)) {
            case SQLITE_NULL:
              row.emplace_back();
              types.push_back(ValueType::Null);
              break;
            case SQLITE_INTEGER:
              row.push_back(std::to_string(st.column_int(i)));
              types.push_back(ValueType::Integer);
              break;
            case SQLITE_FLOAT:
              row.push_back(format_real(st.column_double(i)));
              types.push_back(ValueType::Real);
              break;
            case SQLITE_BLOB:
              row.push_back(format_blob(sqlite3_column_blob(st.get(), i), sqlite3_column_bytes(st.get(), i)));
              types.push_back(ValueType::Blob);
              break;
            default:
              row.push_back(st.column_text(i));
              types.push_back(ValueType::Text);
          }
        }
        current.rows.push_back(std::move(row));
        current.types.push_back(std::move(types));
      }
    } catch (const sqlite::SqliteError& e) {
      throw_query_error(impl_->path, e);
    }
    if (n > 0) result = std::move(current);
  }
  return result;
}

}  // namespace hecto::results
