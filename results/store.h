#pragma once
// The results database (SQLite, WAL mode, busy timeouts, versioned schema with migrations).
// Every finished cell is written in one transaction: a crash never leaves half a result.
#include <memory>
#include <string>
#include <vector>

#include "results/records.h"

namespace hecto::results {

struct CellState {
  std::string id;
  CellStatus status = CellStatus::Pending;
  int attempts = 0;
  std::string error;  // last failure's message
  std::string owner;  // "host:pid" of the process holding the lease while running
};

// How a value came out of SQLite, so formatters can align numbers and write JSON types.
enum class ValueType { Null, Integer, Real, Text, Blob };

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // NULL as ""; reals in shortest round-trip form
  std::vector<std::vector<ValueType>> types;   // parallel to rows (may be empty: then guessed)
};

struct MergeReport {
  int cells_added = 0, identical_skipped = 0;
  int links_of_older_plans = 0;        // cells unlinked here because the input's plan is newer
  int cells_completed = 0;             // pending/failed/running here but done there: taken over
  int benchmarks_added = 0;            // bench rows not already present
  std::vector<std::string> conflicts;  // cell ids whose results differ between inputs
};

class Store {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Creates the file, its parent directories and the schema when missing (ReadWrite); migrates
  // older schemas. ReadOnly never creates or migrates. Throws RunError with the path on a
  // missing (ReadOnly), unreadable, read-only, foreign or corrupt file.
  static Store open(const std::string& path, Mode mode = Mode::ReadWrite);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;

  // Records the experiment (name, source file, its text) and its planned cells; existing cells
  // keep their status. Idempotent. The text follows every run, an --only one too; the plan
  // (planned_at, plan_cells) only a whole-plan run records (record_whole_plan).
  void register_experiment(const std::string& name, const std::string& source_file, const std::string& source_text,
                           const std::vector<CellSpec>& cells);

  // Makes `planned_ids` the experiment's whole plan, stamped with the time (experiments.planned_at
  // and plan_cells, which merges read): after a change to its file or profile, this unlinks the
  // experiment's cells the plan no longer holds, so views and reports show the experiment as
  // planned now. Their rows and results stay in `cells` and the result tables. Returns how many
  // were unlinked.
  int record_whole_plan(const std::string& experiment, const std::vector<std::string>& planned_ids);

  // States of the given ids, in the given order; ids the database does not hold are left out.
  std::vector<CellState> cell_states(const std::vector<std::string>& ids) const;
  // Every cell the experiment planned (also cells first planned by another experiment), in
  // planning order.
  std::vector<CellState> experiment_cells(const std::string& experiment) const;

  // Atomically claims a pending (or failed, when retry_failed) cell, or one whose lease has
  // expired (its process died): sets status running, owner, lease expiry; attempts += 1.
  // Returns false when another live process holds it or it is done.
  bool claim_cell(const std::string& id, const std::string& owner, int lease_seconds, bool retry_failed);
  // Throws RunError when `owner` no longer holds the cell (lease expired and taken over).
  void renew_lease(const std::string& id, const std::string& owner, int lease_seconds);
  // One transaction: metrics, epochs, routing, timing, provenance; status done. Rows an earlier
  // attempt left are replaced. Throws RunError (and writes nothing) for an unknown cell or a
  // record the schema rejects (e.g. two epochs with one number).
  void finish_cell(const CellResult& result);
  void fail_cell(const std::string& id, const std::string& error);
  // Puts a running cell owned by `owner` back to pending (clean interrupt).
  void release_cell(const std::string& id, const std::string& owner);

  void record_benchmark(const BenchmarkRecord& record);
  // Replaces any earlier record of the same weights (one transaction).
  void record_pretrain(const PretrainRecord& record);

  // Read-only SQL on a separate read-only connection. Every statement is checked with
  // sqlite3_stmt_readonly before any runs; one that writes (or ATTACH/DETACH) throws
  // InputError "query is read-only: ...", as does an SQL error. Several statements run in
  // order; the result is the last one that returns columns.
  QueryResult query(const std::string& sql) const;

  // Adds the done cells of another database (keyed by id), in one transaction: identical
  // duplicates ignored, conflicting ones reported and left as they are here; a cell pending,
  // failed or running here takes the other's finished result.
  MergeReport merge_from(const std::string& other_path);

  std::string integrity_check() const;  // "ok" when healthy
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit Store(std::unique_ptr<Impl> impl);
};

}  // namespace hecto::results
