#include "results/records.h"

#include "common/error.h"

namespace hecto::results {

std::string to_string(CellStatus s) {
  switch (s) {
    case CellStatus::Pending:
      return "pending";
    case CellStatus::Running:
      return "running";
    case CellStatus::Done:
      return "done";
    case CellStatus::Failed:
      return "failed";
  }
  return "pending";
}

CellStatus cell_status_from_string(const std::string& s) {
  if (s == "pending") return CellStatus::Pending;
  if (s == "running") return CellStatus::Running;
  if (s == "done") return CellStatus::Done;
  if (s == "failed") return CellStatus::Failed;
  throw common::InputError({}, "unknown cell status '" + s + "'", "pending, running, done or failed");
}

}  // namespace hecto::results
