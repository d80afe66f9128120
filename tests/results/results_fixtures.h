#pragma once
// Cells and results built by hand for the results tests.
#include <string>
#include <vector>

#include "results/records.h"
#include "results/store.h"

namespace hecto::results::fixtures {

inline CellSpec spec(const std::string& id, const std::string& experiment = "exp", int seed = 0,
                     const std::string& variant = "hecto") {
  CellSpec s;
  s.id = id;
  s.experiment = experiment;
  s.config_json = "{\"id\":\"" + id + "\",\"seed\":" + std::to_string(seed) + "}";
  s.axes = {{"task", "agnews"},    {"seed", std::to_string(seed)}, {"batch_size", "16"}, {"variant", variant},
            {"encoder", "frozen"}, {"encoder_name", "tiny"},       {"lr", "0.001"}};
  return s;
}

inline std::vector<CellSpec> specs(int n, const std::string& prefix = "c", const std::string& experiment = "exp") {
  std::vector<CellSpec> out;
  for (int i = 0; i < n; ++i) out.push_back(spec(prefix + std::to_string(i), experiment, i));
  return out;
}

inline void register_cells(Store& store, const std::vector<CellSpec>& cells, const std::string& experiment = "exp") {
  store.register_experiment(experiment, "experiments/" + experiment + ".toml", "name = \"" + experiment + "\"", cells);
}

// A classification result: eval split "test"; routing puts `ffnn` of 100 eval samples on the FFNN expert.
inline CellResult result(const std::string& id, double accuracy, double macro_f1, int ffnn = 50) {
  CellResult r;
  r.cell_id = id;
  r.metrics["test"] = {{"accuracy", accuracy}, {"macro_f1", macro_f1}};
  r.metrics["train"] = {{"accuracy", 0.99}};
  for (int e = 1; e <= 2; ++e) {
    EpochRecord ep;
    ep.epoch = e;
    ep.train_loss = 1.0 / e;
    ep.task_loss = 0.9 / e;
    ep.gate_entropy_bits = e == 2 ? 0.5 : 0.9;
    ep.expert_share = {0.5, 0.5};
    ep.eval_metrics = {{"accuracy", accuracy - 0.01 * (2 - e)}};
    ep.seconds = 1.5;
    r.epochs.push_back(ep);
  }
  r.routing = {{"test", 0, 0, "ffnn", ffnn}, {"test", 0, 1, "gru", 100 - ffnn}, {"train", 0, 0, "ffnn", 7}};
  r.timing.train_seconds = 10;
  r.timing.inference_seconds_per_sample = 0.001;
  r.provenance.git_commit = "abc123";
  r.provenance.threads = 2;
  r.provenance.host = "testhost";
  r.provenance.data_sha256 = {{"/data/ag_news/test.csv", "ff00"}};
  r.provenance.finished_at = "2025-01-01T00:00:00Z";
  return r;
}

}  // namespace hecto::results::fixtures
