#pragma once
// Sort keys that put tables' rows in the paper's order: tasks agnews, sst2, hotpotqa, stsb;
// models hecto first; batch sizes ascending; fine-tuned before frozen.
#include <string>
#include <tuple>

#include "reports/labels.h"

namespace hecto::reports {

struct RowKey {
  std::string variant;
  int batch_size = 0;
  std::string mode;
  bool floor = false;  // a no-encoder baseline: its rows come last, labelled as floors
  std::string pooling = "cls";  // what the gate and FFNN experts read: two views are two rows
  auto rank() const {
    return std::tuple(floor, variant_rank(variant), variant, pooling != "cls", pooling, batch_size,
                      encoder_mode_rank(mode), mode);
  }
  bool operator<(const RowKey& o) const { return rank() < o.rank(); }
  bool operator==(const RowKey& o) const { return rank() == o.rank(); }
};

struct TaskKey {
  std::string task, framing;
  auto rank() const { return std::tuple(task_rank(task), task, framing); }
  bool operator<(const TaskKey& o) const { return rank() < o.rank(); }
};

// "batch 16, fine-tuned" (", pair view" when the gate and FFNN experts read another view than [CLS])
inline std::string setting_label(const RowKey& k) {
  return "batch " + std::to_string(k.batch_size) + ", " + encoder_mode_label(k.mode) +
         (k.pooling == "cls" ? "" : ", " + pooling_label(k.pooling));
}

}  // namespace hecto::reports
