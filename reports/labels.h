#pragma once
// How the report names and scales things: metrics, tasks, model variants, classes. One place,
// so every table and plot says the same.
#include <string>
#include <vector>

namespace hecto::reports {

struct MetricSpec {
  std::string key;         // v_results column or derived metric
  std::string label;       // column heading
  std::string unit;        // shown after the label: "%", "bits", "pp", "ms/sample", "x100"
  double scale = 1;        // ours (as stored) -> shown
  double paper_scale = 1;  // the paper's figure (in its unit) -> shown
  int decimals = 2;
};

// Known metrics; an unknown key gets a plain spec (scale 1, 4 decimals).
MetricSpec metric_spec(const std::string& key);

// The metrics a task's tables show, primary first (the tasks' own metric order).
std::vector<std::string> task_metrics(const std::string& task);

// Sort keys: the paper's order first, anything else alphabetically after.
int task_rank(const std::string& task);
int variant_rank(const std::string& variant);
int encoder_mode_rank(const std::string& mode);

std::string variant_label(const std::string& variant);    // "hecto (FFNN+GRU)"
std::string encoder_mode_label(const std::string& mode);  // "fine-tuned" / "frozen"
std::string pooling_label(const std::string& pooling);    // "[CLS] view" / "mean-token view" / "pair view"
std::string task_label(const std::string& task, const std::string& framing);
// The task's label for a true class id ("World", "positive"); "class N" when unknown,
// "all (regression)" for -1.
std::string class_label(const std::string& task, const std::string& framing, int true_class);

}  // namespace hecto::reports
