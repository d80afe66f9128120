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
  std::string error;      // last failure's message
  std::string owner;      // "host:pid" of the process holding the lease while running
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // NULL as ""
};

struct MergeReport {
  int cells_added = 0, identical_skipped = 0;
  std::vector<std::string> conflicts;  // cell ids whose results differ between inputs
};

class Store {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  // Creates the file and schema when missing (ReadWrite); migrates older schemas.
  // Throws RunError with the path on an unreadable, read-only or corrupt file.
  static Store open(const std::string& path, Mode mode = Mode::ReadWrite);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;

  // Records the experiment (name, source file, its text) and its planned cells; existing cells
  // keep their status. Idempotent.
  void register_experiment(const std::string& name, const std::string& source_file, const std::string& source_text,
                           const std::vector<CellSpec>& cells);

  std::vector<CellState> cell_states(const std::vector<std::string>& ids) const;
  std::vector<CellState> experiment_cells(const std::string& experiment) const;

  // Atomically claims a pending (or failed, when retry_failed) cell, or one whose lease has
  // expired (its process died): sets status running, owner, lease expiry; attempts += 1.
  // Returns false when another live process holds it or it is done.
  bool claim_cell(const std::string& id, const std::string& owner, int lease_seconds, bool retry_failed);
  void renew_lease(const std::string& id, const std::string& owner, int lease_seconds);
  // One transaction: metrics, epochs, routing, timing, provenance; status done.
  void finish_cell(const CellResult& result);
  void fail_cell(const std::string& id, const std::string& error);
  // Puts a running cell owned by `owner` back to pending (clean interrupt).
  void release_cell(const std::string& id, const std::string& owner);

  // Read-only SQL (the connection is opened read-only or the statement must be a SELECT /
  // WITH / PRAGMA read / EXPLAIN); a statement that writes throws InputError.
  QueryResult query(const std::string& sql) const;

  // Adds the cells of another database (keyed by id): identical duplicates ignored,
  // conflicting ones reported.
  MergeReport merge_from(const std::string& other_path);

  std::string integrity_check() const;  // "ok" when healthy
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  explicit Store(std::unique_ptr<Impl> impl);
};

}  // namespace hecto::results
