#pragma once
// Scoring a trained head on a split: predictions, the task's metrics, and where the gate sent
// each example (the paper's routing figures). Predictions stay on the device until the end: one
// copy to the host per split, not one per example.
#include <map>
#include <string>
#include <vector>

#include "model/hecto_head.h"
#include "results/records.h"
#include "tasks/task.h"
#include "train/batch_source.h"

namespace hecto::train {

struct Evaluation {
  std::map<std::string, double> metrics;
  double gate_entropy_bits = 0;
  std::vector<double> expert_share;  // per expert, fraction of the examples
  std::vector<results::RoutingCount> routing;
  double seconds = 0;
  int64_t examples = 0;
};

// Every example of `source` (or the first `limit` when limit > 0), in length-sorted batches.
Evaluation evaluate(const BatchSource& source, model::HectoHead& head, const tasks::TaskInfo& info, int batch_size,
                    int64_t limit = 0);

}  // namespace hecto::train
