#pragma once
// Trains and evaluates one cell: task data -> tokens (cached) -> encoder outputs (cached when
// frozen) -> Hecto head (+ encoder when fine-tuned) -> evaluation, routing and timing.
// Knows nothing of SQLite: it returns a results::CellResult for the caller to store.
#include <functional>
#include <string>

#include "experiment/config.h"
#include "results/records.h"
#include "runtime/precision.h"
#include "train/optimiser.h"

namespace hecto::train {

struct Progress {
  int epoch = 0, epochs = 0;
  int64_t step = 0, steps = 0;  // within the epoch
  double loss = 0;              // running mean of the epoch's training loss
  double elapsed_seconds = 0, eta_seconds = 0;
  std::string phase;  // "train", "eval", "encode"
};

struct TrainEnvironment {
  std::string data_dir;                              // resolved data directory
  std::string token_cache_dir;                       // "" = no token cache
  std::string feature_cache_dir;                     // "" = no feature cache
  runtime::DeviceChoice device;                      // where the cell computes (its numerics come from train.precision)
  std::string artifact_dir;  // where train.save_artifact keeps <cell_id>/ ("" = nowhere)
  std::string cell_id;       // the cell being trained (names its artifact)
  std::function<void(const Progress&)> on_progress;  // may be empty
  std::function<void()> on_heartbeat;                // called between steps (lease renewal)
};

results::CellResult train_and_evaluate(const experiment::Config& config, const TrainEnvironment& env);

}  // namespace hecto::train
