#pragma once
// What a user sees while cells run: a live line (epoch, step, loss, ETA) on a terminal, plain
// log lines elsewhere, and one summary line per finished cell.
#include <string>

#include "experiment/plan.h"
#include "results/records.h"
#include "train/trainer.h"

namespace hecto::runner {

// "agnews hecto seed=0 bs=16 frozen" plus any other swept axis.
std::string describe_cell(const experiment::Cell& cell);
// "accuracy=0.8811 macro_f1=0.8807 | ffnn 20.1% gru 79.9% | 61.2s"
std::string summarize_result(const results::CellResult& result);

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool terminal) : terminal_(terminal) {}
  void start_cell(const std::string& label, int index, int total);
  void update(const train::Progress& p);
  void finish_cell(const std::string& label, const results::CellResult& result);
  void clear();  // ends a live line before other output

 private:
  bool terminal_;
  bool line_open_ = false;
  int last_logged_epoch_ = -1;
  std::string label_;
  int index_ = 0, total_ = 0;
};

}  // namespace hecto::runner
