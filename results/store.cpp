#include "results/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>

#include "results/clock.h"
#include "results/schema.h"
#include "results/store_impl.h"

namespace hecto::results {

namespace fs = std::filesystem;
using sqlite::SqliteError;
using sqlite::Statement;

void rethrow_as_run_error(const std::string& path, const std::string& what, const SqliteError& e) {
  switch (e.code()) {
    case SQLITE_NOTADB:
      throw common::RunError(path + " is not an SQLite database (" + std::string(e.what()) +
                             "); use another database path or move the file away");
    case SQLITE_CORRUPT:
      throw common::RunError("results database " + path + " is corrupt (" + std::string(e.what()) +
                             "); restore it from a copy, or move it away and run again");
    case SQLITE_CANTOPEN:
      throw common::RunError("cannot open results database " + path + " (" + std::string(e.what()) +
                             "); check that the path exists and is readable");
    case SQLITE_READONLY:
    case SQLITE_PERM:
      throw common::RunError("results database " + path + " cannot be written (" + std::string(e.what()) +
                             "); fix the permissions of the file and of its directory (SQLite writes -wal and -shm "
                             "files beside it) or use another database path");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw common::RunError("results database " + path + " stayed locked by another process while " + what + " (" +
                             std::string(e.what()) + "); try again when it finishes");
    case SQLITE_FULL:
    case SQLITE_IOERR:
      // SQLite reports a full disk as FULL or, when a write cannot even start, as an I/O error.
      throw common::RunError("results database " + path + ": " + what + " failed: " + std::string(e.what()) +
                             " (is the disk full or failing?)");
    default:
      throw common::RunError("results database " + path + ": " + what + " failed: " + std::string(e.what()));
  }
}

namespace {

// Switching to WAL while another process opens or switches the same new file can return
// SQLITE_BUSY at once, without calling the busy handler (SQLite does not wait inside a
// journal-mode change), so two runs starting together on one new database need a retry here.
void exec_retrying_busy(sqlite::Connection& db, const char* sql) {
  constexpr int kAttempts = 40;
  for (int attempt = 1;; ++attempt) {
    try {
      db.exec(sql);
      return;
    } catch (const SqliteError& e) {
      if (e.code() != SQLITE_BUSY || attempt == kAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(25 * attempt));
    }
  }
}

sqlite::Connection open_connection_as(const std::string& path, const std::string& name, Store::Mode mode) {
  const bool read_only = mode == Store::Mode::ReadOnly;
  sqlite::Connection db(name, read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_busy_timeout(db.get(), 10'000);
  if (!read_only && sqlite3_db_readonly(db.get(), "main") == 1)
    throw common::RunError("results database " + path +
                           " is read-only; fix its permissions, use another database path, or only query it");
  // The first statement reads the header: a foreign or broken file fails here.
  if (read_only) {
    db.exec("PRAGMA query_only = ON");
    db.exec("PRAGMA schema_version");
  } else {
    // WAL: readers never block the writer. synchronous=NORMAL: a commit survives a crash of
    // the process; only a power cut may lose the last commits (never corrupt the file).
    exec_retrying_busy(db, "PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  }
  db.exec("PRAGMA foreign_keys = ON");
  sqlite::ensure_math_functions(db);
  return db;
}

}  // namespace

sqlite::Connection open_connection(const std::string& path, Store::Mode mode) {
  try {
    return open_connection_as(path, path, mode);
  } catch (const SqliteError& e) {
    // A WAL database in a directory we cannot write (a read-only mount, someone else's results)
    // cannot get its -shm file, so SQLite refuses even to read it. With no -wal file every commit
    // is in the main file: reading it as immutable is then exact.
    const bool no_wal = !fs::exists(path + "-wal");
    if (mode == Store::Mode::ReadOnly && no_wal && (e.code() == SQLITE_READONLY || e.code() == SQLITE_CANTOPEN)) {
      try {
        return open_connection_as(path, sqlite::file_uri(path, "immutable=1"), mode);
      } catch (const SqliteError&) {
        // Report the first error: it says what is wrong with the file as it is.
      }
    }
    rethrow_as_run_error(path, "opening", e);
  }
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

namespace {

// A hecto database of an older schema, opened to be read (`hecto report`, `query`, a merge's
// input), is migrated first, as the next `hecto run` on it would do: the migrations only add,
// and a results file that every upgrade made unreadable until some run wrote to it helps no one.
// False where it cannot be written (a read-only file or medium): the caller says what to do.
bool migrated_in_place(const std::string& path) {
  try {
    auto db = open_connection(path, Store::Mode::ReadWrite);
    migrate(db, path);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Store Store::open(const std::string& path, Mode mode) {
  if (mode == Mode::ReadOnly) {
    if (!fs::exists(path))
      throw common::RunError("no results database at " + path + "; run an experiment first or pass --db");
  } else {
    fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec)
      throw common::RunError("cannot create directory " + parent.string() + " for results database " + path + ": " +
                             ec.message());
  }
  auto impl = std::make_unique<Impl>(path, mode, open_connection(path, mode));
  try {
    if (mode == Mode::ReadWrite) {
      migrate(impl->db, path);
    } else {
      int version = read_schema_version(impl->db);
      if (version > 0 && version < latest_schema_version() && migrated_in_place(path)) {
        impl = std::make_unique<Impl>(path, mode, open_connection(path, mode));
        version = read_schema_version(impl->db);
      }
      if (version != latest_schema_version())
        throw common::RunError("results database " + path + " has schema version " + std::to_string(version) +
                               ", this hecto reads version " + std::to_string(latest_schema_version()) +
                               (version < latest_schema_version() ? "; open it once with a writing command to migrate"
                                                                  : "; use a newer hecto"));
    }
  } catch (const SqliteError& e) {
    rethrow_as_run_error(path, "reading the schema", e);
  }
  return Store(std::move(impl));
}

int Store::schema_version() const { return read_schema_version(impl_->db); }

const std::string& Store::path() const { return impl_->path; }

namespace {

// Standard axes get their own columns so the views and reports can filter on them.
const std::vector<std::pair<std::string, std::string>>& standard_axis_columns() {
  static const std::vector<std::pair<std::string, std::string>> columns = {{"task", "task"},
                                                                           {"seed", "seed"},
                                                                           {"batch_size", "batch_size"},
                                                                           {"variant", "variant"},
                                                                           {"encoder", "encoder_mode"},
                                                                           {"encoder_name", "encoder_name"},
                                                                           {"framing", "framing"}};
  return columns;
}

void bind_axis(Statement& st, int index, const std::map<std::string, std::string>& axes, const std::string& key,
               bool integer) {
  auto it = axes.find(key);
  if (it == axes.end()) {
    st.bind(index, nullptr);
    return;
  }
  if (integer) {
    try {
      size_t used = 0;
      long long v = std::stoll(it->second, &used);
      if (used == it->second.size()) {
        st.bind(index, static_cast<int64_t>(v));
        return;
      }
    } catch (const std::exception&) {
    }
  }
  st.bind(index, it->second);
}

CellState read_state(const Statement& st) {
  CellState s;
  s.id = st.column_text(0);
  s.status = cell_status_from_string(st.column_text(1));
  s.attempts = static_cast<int>(st.column_int(2));
  s.error = st.column_text(3);
  s.owner = st.column_text(4);
  return s;
}

}  // namespace

void Store::register_experiment(const std::string& name, const std::string& source_file, const std::string& source_text,
                                const std::vector<CellSpec>& cells) {
  try {
    sqlite::Transaction tx(impl_->db);
    const std::string now = utc_iso8601_now();
    Statement exp(impl_->db,
                  "INSERT INTO experiments(name, source_file, source_text, registered_at) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT(name) DO UPDATE SET source_file = excluded.source_file, "
                  "source_text = excluded.source_text");
    exp.bind(1, name).bind(2, source_file).bind(3, source_text).bind(4, now).run();

    std::string columns = "id, experiment, config_json, status, created_at";
    std::string params = "?1, ?2, ?3, 'pending', ?4";
    int next = 5;
    for (const auto& [axis, column] : standard_axis_columns()) {
      columns += ", " + column;
      params += ", ?" + std::to_string(next++);
    }
    Statement cell(impl_->db, "INSERT OR IGNORE INTO cells(" + columns + ") VALUES (" + params + ")");
    Statement link(impl_->db, "INSERT OR IGNORE INTO cell_experiments(cell_id, experiment) VALUES (?1, ?2)");
    Statement axis(impl_->db, "INSERT OR IGNORE INTO cell_axes(cell_id, key, value) VALUES (?1, ?2, ?3)");
    for (const auto& spec : cells) {
      cell.reset();
      cell.bind(1, spec.id).bind(2, name).bind(3, spec.config_json).bind(4, now);
      int index = 5;
      for (const auto& [key, column] : standard_axis_columns())
        bind_axis(cell, index++, spec.axes, key, column == "seed" || column == "batch_size");
      cell.run();
      link.reset();
      link.bind(1, spec.id).bind(2, name).run();
      for (const auto& [key, value] : spec.axes) {
        axis.reset();
        axis.bind(1, spec.id).bind(2, key).bind(3, value).run();
      }
    }
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "registering experiment " + name, e);
  }
}

int Store::record_whole_plan(const std::string& experiment, const std::vector<std::string>& planned_ids) {
  int unlinked = 0;
  try {
    auto sorted = planned_ids;
    std::sort(sorted.begin(), sorted.end());
    const std::string plan_cells = nlohmann::json(sorted).dump();
    sqlite::Transaction tx(impl_->db);
    Statement unlink(impl_->db,
                     "DELETE FROM cell_experiments WHERE experiment = ?1 "
                     "AND cell_id NOT IN (SELECT value FROM json_each(?2))");
    unlink.bind(1, experiment).bind(2, plan_cells).run();
    unlinked = static_cast<int>(impl_->db.changes());
    Statement stamp(impl_->db, "UPDATE experiments SET planned_at = ?2, plan_cells = ?3 WHERE name = ?1");
    stamp.bind(1, experiment).bind(2, utc_iso8601_micros_now()).bind(3, plan_cells).run();
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "recording the whole plan of " + experiment, e);
  }
  return unlinked;
}

std::vector<CellState> Store::cell_states(const std::vector<std::string>& ids) const {
  std::vector<CellState> out;
  try {
    Statement st(impl_->db, "SELECT id, status, attempts, error, owner FROM cells WHERE id = ?1");
    for (const auto& id : ids) {
      st.reset();
      st.bind(1, id);
      if (st.step()) out.push_back(read_state(st));
    }
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "reading cell states", e);
  }
  return out;
}

std::vector<CellState> Store::experiment_cells(const std::string& experiment) const {
  std::vector<CellState> out;
  try {
    Statement st(impl_->db,
                 "SELECT c.id, c.status, c.attempts, c.error, c.owner FROM cell_experiments ce "
                 "JOIN cells c ON c.id = ce.cell_id WHERE ce.experiment = ?1 ORDER BY ce.rowid");
    st.bind(1, experiment);
    while (st.step()) out.push_back(read_state(st));
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "listing cells of " + experiment, e);
  }
  return out;
}

bool Store::claim_cell(const std::string& id, const std::string& owner, int lease_seconds, bool retry_failed) {
  try {
    sqlite::Transaction tx(impl_->db);
    const double now = unix_seconds_now();
    Statement st(impl_->db,
                 "UPDATE cells SET status = 'running', owner = ?2, lease_expires_at = ?3, started_at = ?4, "
                 "attempts = attempts + 1 "
                 "WHERE id = ?1 AND (status = 'pending' OR (status = 'failed' AND ?5) "
                 "OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < ?6)))");
    st.bind(1, id)
        .bind(2, owner)
        .bind(3, now + lease_seconds)
        .bind(4, utc_iso8601_now())
        .bind(5, retry_failed)
        .bind(6, now);
    st.run();
    const bool claimed = impl_->db.changes() == 1;
    tx.commit();
    return claimed;
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "claiming cell " + id, e);
  }
}

void Store::renew_lease(const std::string& id, const std::string& owner, int lease_seconds) {
  bool held = false;
  try {
    sqlite::Transaction tx(impl_->db);
    Statement st(impl_->db,
                 "UPDATE cells SET lease_expires_at = ?3 WHERE id = ?1 AND owner = ?2 AND status = 'running'");
    st.bind(1, id).bind(2, owner).bind(3, unix_seconds_now() + lease_seconds).run();
    held = impl_->db.changes() == 1;
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "renewing the lease of cell " + id, e);
  }
  if (!held)
    throw common::RunError("cell " + id + " is no longer held by " + owner + " in " + impl_->path +
                           " (its lease expired and another process took it)");
}

void Store::fail_cell(const std::string& id, const std::string& error) {
  try {
    sqlite::Transaction tx(impl_->db);
    Statement st(impl_->db,
                 "UPDATE cells SET status = 'failed', error = ?2, owner = NULL, lease_expires_at = NULL, "
                 "finished_at = ?3 WHERE id = ?1 AND status <> 'done'");
    st.bind(1, id).bind(2, error).bind(3, utc_iso8601_now()).run();
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "marking cell " + id + " failed", e);
  }
}

void Store::release_cell(const std::string& id, const std::string& owner) {
  try {
    sqlite::Transaction tx(impl_->db);
    Statement st(impl_->db,
                 "UPDATE cells SET status = 'pending', owner = NULL, lease_expires_at = NULL "
                 "WHERE id = ?1 AND owner = ?2 AND status = 'running'");
    st.bind(1, id).bind(2, owner).run();
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "releasing cell " + id, e);
  }
}

void Store::record_benchmark(const BenchmarkRecord& r) {
  try {
    sqlite::Transaction tx(impl_->db);
    Statement st(impl_->db,
                 "INSERT INTO bench(name, value, unit, params_json, git_commit, git_dirty, compiler, build_type, "
                 "torch_version, blas, blas_core, threads, cpu_model, host, recorded_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    const Provenance& p = r.provenance;
    st.bind(1, r.name).bind(2, r.value).bind_text_or_null(3, r.unit).bind_text_or_null(4, r.params_json);
    st.bind_text_or_null(5, p.git_commit).bind(6, p.git_dirty).bind_text_or_null(7, p.compiler);
    st.bind_text_or_null(8, p.build_type).bind_text_or_null(9, p.torch_version).bind_text_or_null(10, p.blas);
    st.bind_text_or_null(11, p.blas_core).bind(12, p.threads).bind_text_or_null(13, p.cpu_model);
    st.bind_text_or_null(14, p.host).bind(15, r.recorded_at.empty() ? utc_iso8601_now() : r.recorded_at);
    st.run();
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "recording benchmark " + r.name, e);
  }
}

void Store::record_pretrain(const PretrainRecord& r) {
  try {
    sqlite::Transaction tx(impl_->db);
    Statement del(impl_->db, "DELETE FROM pretrain_runs WHERE weights_sha256 = ?1");
    del.bind(1, r.weights_sha256).run();
    Statement st(impl_->db,
                 "INSERT INTO pretrain_runs(output, weights_sha256, encoder_name, recipe_json, corpus_sha256, "
                 "corpus_tokens, steps, minutes, initial_loss, final_loss, tokens_per_second, host, cpu_model, "
                 "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    st.bind(1, r.output).bind(2, r.weights_sha256).bind_text_or_null(3, r.encoder_name);
    st.bind_text_or_null(4, r.recipe_json).bind_text_or_null(5, r.corpus_sha256).bind(6, r.corpus_tokens);
    st.bind(7, r.steps).bind(8, r.minutes).bind(9, r.initial_loss).bind(10, r.final_loss);
    st.bind(11, r.tokens_per_second).bind_text_or_null(12, r.host).bind_text_or_null(13, r.cpu_model);
    st.bind(14, utc_iso8601_now());
    st.run();
    Statement point(impl_->db, "INSERT OR REPLACE INTO pretrain_loss(weights_sha256, step, loss) VALUES (?1, ?2, ?3)");
    for (const auto& [step, loss] : r.loss_curve) {
      point.reset();
      point.bind(1, r.weights_sha256).bind(2, step).bind(3, loss).run();
    }
    tx.commit();
  } catch (const SqliteError& e) {
    rethrow_as_run_error(impl_->path, "recording pretraining " + r.output, e);
  }
}

std::string Store::integrity_check() const {
  try {
    Statement st(impl_->db, "PRAGMA integrity_check");
    std::string out;
    while (st.step()) out += (out.empty() ? "" : "\n") + st.column_text(0);
    return out;
  } catch (const SqliteError& e) {
    return e.what();
  }
}

}  // namespace hecto::results
