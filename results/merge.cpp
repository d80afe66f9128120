// Store::merge_from: folds another results database (a shard, another machine) into this one.
#include <filesystem>

#include "results/schema.h"
#include "results/store_impl.h"

namespace hecto::results {

namespace fs = std::filesystem;
using sqlite::Statement;

namespace {

// Attached for the life of the object; both databases have the same schema version, so
// `SELECT *` lines up column for column.
class Attached {
 public:
  Attached(sqlite::Connection& db, const std::string& path) : db_(db) {
    db_.exec("ATTACH DATABASE " + sqlite::quote_literal(sqlite::file_uri(path, "mode=ro")) + " AS src");
  }
  ~Attached() { sqlite3_exec(db_.get(), "DETACH DATABASE src", nullptr, nullptr, nullptr); }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  sqlite::Connection& db_;
};

// Runs `sql` with ?1 bound to `value` (a cell id or an experiment name).
void run_with(sqlite::Connection& db, const std::string& sql, const std::string& value) {
  Statement st(db, sql);
  st.bind(1, value).run();
}

// The experiments that list the cell (before the cell row: it references them).
void copy_experiments(sqlite::Connection& db, const std::string& id) {
  run_with(db,
               "INSERT OR IGNORE INTO main.experiments SELECT * FROM src.experiments WHERE name IN "
               "(SELECT experiment FROM src.cell_experiments WHERE cell_id = ?1 "
               "UNION SELECT experiment FROM src.cells WHERE id = ?1)",
               id);
}

// Where the input holds a newer whole plan of an experiment than this database (its shard or a
// database merged from its shards, after the experiment's file or profile changed), the input's
// plan is the experiment now: links here to cells it does not hold go, as a whole-plan `hecto run`
// here would unlink them, and the experiment's row (file text, plan, its time) follows the input.
// The newest registration wins, so shards of one plan, stamped a moment apart, merge in any order.
// Returns how many links went.
int adopt_newer_plans(sqlite::Connection& db) {
  std::vector<std::string> newer;
  {
    Statement st(db,
                 "SELECT s.name FROM src.experiments s JOIN main.experiments m ON m.name = s.name "
                 "WHERE s.plan_cells IS NOT NULL AND s.planned_at IS NOT NULL "
                 "AND (m.planned_at IS NULL OR s.planned_at > m.planned_at)");
    while (st.step()) newer.push_back(st.column_text(0));
  }
  int unlinked = 0;
  for (const auto& name : newer) {
    run_with(db,
                 "DELETE FROM main.cell_experiments WHERE experiment = ?1 AND cell_id NOT IN "
                 "(SELECT value FROM json_each((SELECT plan_cells FROM src.experiments WHERE name = ?1)))",
                 name);
    unlinked += static_cast<int>(db.changes());
    run_with(db,
                 "UPDATE main.experiments SET (source_file, source_text, planned_at, plan_cells) = "
                 "(SELECT source_file, source_text, planned_at, plan_cells FROM src.experiments WHERE name = ?1) "
                 "WHERE name = ?1",
                 name);
  }
  return unlinked;
}

// The cell's experiment links and axes (after the cell row: they reference it). A link the
// input's plan made is copied only where this database's plan (the newest, after
// adopt_newer_plans) holds the cell too: a late shard of an earlier plan links nothing the plan
// dropped. Links an --only run added outside its plan are copied, as that run would add them here.
void copy_links_and_axes(sqlite::Connection& db, const std::string& id) {
  run_with(db,
               "INSERT OR IGNORE INTO main.cell_experiments SELECT l.* FROM src.cell_experiments l "
               "WHERE l.cell_id = ?1 AND NOT EXISTS (SELECT 1 FROM main.experiments m JOIN src.experiments s "
               "ON s.name = m.name WHERE m.name = l.experiment AND m.plan_cells IS NOT NULL "
               "AND l.cell_id NOT IN (SELECT value FROM json_each(m.plan_cells)) "
               "AND l.cell_id IN (SELECT value FROM json_each(s.plan_cells)))",
               id);
  run_with(db, "INSERT OR IGNORE INTO main.cell_axes SELECT * FROM src.cell_axes WHERE cell_id = ?1", id);
}

void copy_results(sqlite::Connection& db, const std::string& id) {
  for (const auto& table : result_tables())
    run_with(db, "INSERT INTO main." + table + " SELECT * FROM src." + table + " WHERE cell_id = ?1", id);
}

bool same_metrics(sqlite::Connection& db, const std::string& id) {
  // EXCEPT compares NULLs as equal, so two undefined metrics match.
  Statement st(db,
               "SELECT (SELECT count(*) FROM ("
               "SELECT split, name, value FROM main.metrics WHERE cell_id = ?1 "
               "EXCEPT SELECT split, name, value FROM src.metrics WHERE cell_id = ?1)) "
               "+ (SELECT count(*) FROM ("
               "SELECT split, name, value FROM src.metrics WHERE cell_id = ?1 "
               "EXCEPT SELECT split, name, value FROM main.metrics WHERE cell_id = ?1))");
  st.bind(1, id);
  st.step();
  return st.column_int(0) == 0;
}

int copy_new_benchmarks(sqlite::Connection& db) {
  const std::string columns =
      "name, value, unit, params_json, git_commit, git_dirty, compiler, build_type, torch_version, blas, blas_core, "
      "threads, cpu_model, host, recorded_at";
  db.exec("INSERT INTO main.bench(" + columns + ") SELECT " + columns +
          " FROM src.bench s WHERE NOT EXISTS (SELECT 1 FROM main.bench b WHERE b.name = s.name "
          "AND b.value IS s.value AND b.recorded_at = s.recorded_at AND b.host IS s.host "
          "AND b.params_json IS s.params_json)");
  return static_cast<int>(db.changes());
}

}  // namespace

MergeReport Store::merge_from(const std::string& other_path) {
  if (impl_->mode == Mode::ReadOnly)
    throw common::RunError("cannot merge into " + impl_->path + ": it was opened read-only");
  std::error_code ec;
  if (fs::equivalent(other_path, impl_->path, ec))
    throw common::RunError("cannot merge " + other_path + " into itself");
  // Opening it read-only first checks it is a hecto database of this schema version.
  Store::open(other_path, Mode::ReadOnly);

  MergeReport report;
  auto& db = impl_->db;
  try {
    Attached attached(db, other_path);
    sqlite::Transaction tx(db);
    report.links_of_older_plans = adopt_newer_plans(db);
    std::vector<std::string> done_there;
    {
      Statement st(db, "SELECT id FROM src.cells WHERE status = 'done' ORDER BY rowid");
      while (st.step()) done_there.push_back(st.column_text(0));
    }
    Statement local(db, "SELECT status FROM main.cells WHERE id = ?1");
    for (const auto& id : done_there) {
      local.reset();
      local.bind(1, id);
      const std::string status = local.step() ? local.column_text(0) : "";
      local.reset();
      copy_experiments(db, id);
      if (status.empty()) {
        run_with(db, "INSERT INTO main.cells SELECT * FROM src.cells WHERE id = ?1", id);
        copy_links_and_axes(db, id);
        copy_results(db, id);
        ++report.cells_added;
      } else if (status == "done") {
        if (same_metrics(db, id)) {
          copy_links_and_axes(db, id);
          ++report.identical_skipped;
        } else {
          report.conflicts.push_back(id);
        }
      } else {
        copy_links_and_axes(db, id);
        delete_cell_rows(db, "main", id);
        run_with(db,
                     "UPDATE main.cells SET (status, attempts, error, owner, lease_expires_at, started_at, "
                     "finished_at) = (SELECT status, attempts, error, owner, lease_expires_at, started_at, "
                     "finished_at FROM src.cells WHERE id = ?1) WHERE id = ?1",
                     id);
        copy_results(db, id);
        ++report.cells_completed;
      }
    }
    report.benchmarks_added = copy_new_benchmarks(db);
    tx.commit();
  } catch (const sqlite::SqliteError& e) {
    rethrow_as_run_error(impl_->path, "merging " + other_path, e);
  }
  return report;
}

}  // namespace hecto::results
