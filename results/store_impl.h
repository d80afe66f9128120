#pragma once
// Store's private state, shared by the files that implement its parts (store, cell writer,
// query, merge). Not part of the public API.
#include <optional>
#include <string>

#include "results/sqlite.h"
#include "results/store.h"

namespace hecto::results {

struct Store::Impl {
  std::string path;
  Mode mode = Mode::ReadWrite;
  sqlite::Connection db;
  // query() runs on its own read-only connection, opened on first use.
  mutable std::optional<sqlite::Connection> query_db;

  Impl(std::string p, Mode m, sqlite::Connection c) : path(std::move(p)), mode(m), db(std::move(c)) {}
};

// Opens a connection with the pragmas every hecto connection uses; translates failures into
// RunErrors that name the path and say what to do.
sqlite::Connection open_connection(const std::string& path, Store::Mode mode);
// Rethrows a SqliteError from a store operation as a RunError naming the database.
[[noreturn]] void rethrow_as_run_error(const std::string& path, const std::string& what, const sqlite::SqliteError& e);

// Writes a cell's result rows (the caller holds the transaction and deleted old rows).
void write_cell_rows(sqlite::Connection& db, const CellResult& result);
// Deletes every result row of a cell (not the cell, its axes or experiment links).
void delete_cell_rows(sqlite::Connection& db, const std::string& schema, const std::string& cell_id);
// Result tables keyed by cell_id, children after parents (insert order; delete in reverse).
const std::vector<std::string>& result_tables();

}  // namespace hecto::results
