#pragma once
// Everything a report needs, read once from the results database into plain structs: the
// builders below work on these and never touch SQLite, so tests can also build them by hand.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hecto::results {
class Store;
}

namespace hecto::reports {

// One done cell as one experiment sees it (a cell planned by two experiments appears twice).
struct CellRow {
  std::string id, experiment, task, framing, variant, encoder_mode, encoder_name;
  int seed = 0, batch_size = 0;
  std::map<std::string, double> metrics;  // v_results columns that are not NULL, plus top_expert_share
  std::string cpu_model;
  int threads = 0;
  std::map<std::string, std::string> axes;  // the matrix axes' values as planned (cell_axes)
  std::string model_kind = "hecto";  // or a floor: majority, tfidf_linear, tfidf_cosine
  std::string pooling = "cls";       // what the gate and FFNN experts read (model.pooling)
  std::string device = "cpu", precision = "fp32";
  std::string data_source;  // "official", "staged" (any file a staged subset), "" unrecorded
  bool is_floor() const { return model_kind != "hecto"; }
};

// Top-1 routing on the cell's eval split.
struct RoutingRow {
  int true_class = -1, expert = 0;
  std::string expert_kind;
  int64_t count = 0;
};

struct EpochRow {
  int epoch = 0;
  std::optional<double> gate_entropy_bits, train_loss;
};

struct BenchRow {
  std::string name, unit, params_json, cpu_model;
  double value = 0;
  int threads = 0;
};

struct PretrainRun {
  std::string weights_sha256, encoder_name, output;
  int64_t steps = 0, corpus_tokens = 0;
  double minutes = 0, initial_loss = 0, final_loss = 0, tokens_per_second = 0;
  std::vector<std::pair<int64_t, double>> loss;  // [step, loss]
};

struct ExperimentState {
  std::string name;
  std::map<std::string, int> cells_by_status;  // pending/running/done/failed -> count
};

// The gate's integrated gradients for one evaluation input of a cell (train.explain_per_class).
struct AttributionRow {
  std::string cell_id;
  int example = 0, true_class = -1;
  std::string expert_kind, text;
  std::vector<std::string> tokens;
  std::vector<double> scores;
  double completeness_error = 0;
};

struct Dataset {
  std::vector<ExperimentState> experiments;                // the selected ones, by name
  std::vector<CellRow> cells;                              // done cells of the selected experiments
  std::map<std::string, std::vector<RoutingRow>> routing;  // by cell id
  std::map<std::string, std::vector<EpochRow>> epochs;     // by cell id, epoch ascending
  std::vector<BenchRow> bench;                             // the latest row per (name, params)
  std::vector<PretrainRun> pretrain;
  std::vector<AttributionRow> attributions;                // of the selected experiments' done cells
};

// `experiments` empty: all. An unknown name is an InputError listing the known ones.
Dataset load_dataset(const results::Store& store, const std::vector<std::string>& experiments);

// Share of the cell's eval samples routed to its most-used expert; none without routing rows.
std::optional<double> top_expert_share(const std::vector<RoutingRow>& routing);

}  // namespace hecto::reports
