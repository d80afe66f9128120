#pragma once
// What `hecto plan` and `hecto status` print: a plan's cells against the results database.
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "results/records.h"

#include "experiment/plan.h"

namespace hecto::runner {

// A rough relative cost: encoder sample-passes (a backward pass counts as two forwards), scaled
// by max_len / 128 and, for random encoders, by their size relative to DistilBERT. Frozen cells
// with the feature cache encode each sample once; fine-tuned cells every epoch.
double estimated_cost(const experiment::Config& config);

// Axis names whose values differ between the plan's cells (in the order of the first cell's axes).
std::vector<std::string> varying_axes(const experiment::Plan& plan);

// id -> "done" | "failed" | "running" | "pending" (and the last error); a missing database means all pending.
struct CellStatusText {
  std::string status = "pending";
  std::string error;
};
std::map<std::string, CellStatusText> read_cell_status(const experiment::Plan& plan, const std::string& db_path);

struct PlanViewOptions {
  std::string file;
  experiment::PlanOptions plan;
  std::string db_path = results::kDefaultDbPath;
  bool json = false;
};
// `hecto plan`: one line per cell (id, the axes that vary, cost, status), then totals. Returns 0.
int print_plan(const PlanViewOptions& options, std::ostream& out);

struct StatusOptions {
  std::vector<std::string> files;
  experiment::PlanOptions plan;
  std::string db_path = results::kDefaultDbPath;
};
// `hecto status`: done / failed / running / pending per experiment, then every failed cell
// with its error. Returns 0.
int print_status(const StatusOptions& options, std::ostream& out);

}  // namespace hecto::runner
