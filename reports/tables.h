#pragma once
// The report's tables, each built from the loaded dataset and the paper's figures. Every
// builder returns one table per encoder it finds, so no table mixes encoders.
#include <string>
#include <vector>

#include "reports/dataset.h"
#include "reports/reference.h"
#include "reports/table.h"

namespace hecto::reports {

// How an experiment's comparison table is titled, and which metrics it adds to each task's own.
struct ExperimentTableSpec {
  std::string id, title;
  std::vector<std::string> extra_metrics;  // e.g. gate_entropy_bits, top_expert_share, accuracy_delta_vs_hecto
};

// The paper's experiments (experiments/paper/*.toml `name`) get their table's title and
// extras; any other experiment gets a plain comparison named after it.
ExperimentTableSpec experiment_table_spec(const std::string& experiment);
// The order experiments' tables appear in: the paper's first.
int experiment_rank(const std::string& experiment);

// One row per model (variant, plus batch size / encoder mode where they vary), columns per
// task and metric: ours as mean ± std (n), the paper's figure with our difference, and a
// marker saying whether the row differs from the first row by more than the seed spread.
std::vector<Table> comparison_tables(const Dataset& data, const std::string& experiment, const Reference& ref);

// Share of eval samples each expert kind took, per task and per true class (heterogeneous models).
std::vector<Table> usage_tables(const Dataset& data, const Reference& ref);
// Inference seconds per sample from the cells (and the bench table when it has rows).
std::vector<Table> latency_tables(const Dataset& data, const Reference& ref);
// The paper's claims, one row each: our effect with its 95% interval over seeds and a verdict.
std::vector<Table> claims_tables(const Dataset& data);
// Masked-LM pretraining runs: encoder, steps, minutes, loss start -> end.
std::vector<Table> pretrain_tables(const Dataset& data);

// Groups cells by encoder name, in name order with the paper's encoder first (floors left out).
std::vector<std::string> encoders_of(const std::vector<const CellRow*>& cells);
// What a figure was computed with: the encoder, and the device and numerics when not the CPU in
// fp32. Cells of different setups are never averaged together.
std::string setup_of(const CellRow& c);
// The setups of the cells (floors left out), the paper's encoder first.
std::vector<std::string> setups_of(const std::vector<const CellRow*>& cells);
// Done cells once each (a cell several experiments planned counts once).
std::vector<const CellRow*> distinct_cells(const Dataset& data);

}  // namespace hecto::reports
