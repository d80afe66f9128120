#pragma once
// Pieces every task shares: file paths under the data directory, split assembly with file
// hashes, the seeded training sample and the evaluation cap.
#include <memory>
#include <string>
#include <vector>

#include "tasks/task.h"

namespace hecto::tasks {

// data_dir/relative as an absolute path.
std::string data_file(const TaskOptions& options, const std::string& relative);

// Hashes the files and fills a Split.
Split make_split(std::string name, std::vector<Example> examples, std::vector<std::string> files,
                 std::string input_builder, std::string selection);

template <class Row>
std::vector<Row> take_rows(const std::vector<Row>& all, const std::vector<size_t>& rows) {
  std::vector<Row> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(all[r]);
  return out;
}

// train_size rows (all when 0), seeded with sample_seed, stratified by label when classify.
// InputError naming `source` when train_size exceeds what it holds.
std::vector<Example> sample_training(const std::vector<Example>& all, const TaskOptions& options, bool classify,
                                     const std::string& source);
// At most eval_size rows (all when 0), stratified by label when classify, with the fixed seed
// kEvalSubsetSeed so every cell, whatever its sample_seed, evaluates on the same rows.
inline constexpr uint64_t kEvalSubsetSeed = 0;
std::vector<Example> cap_evaluation(const std::vector<Example>& all, const TaskOptions& options, bool classify);

// A validation split (TaskOptions.validation_size > 0): that many rows of the training file, drawn
// before anything else with the fixed seed kValidationSeed (so every cell, whatever its sample
// seed, is scored on the same rows), become the evaluation split, and the training sample is drawn
// from the rest. Hyperparameters chosen on it never see the official evaluation split.
inline constexpr uint64_t kValidationSeed = 0;
inline constexpr const char* kValidationSplitName = "validation";
// The training file's rows split in two, each side in file order. `labels` (empty: none) stratify
// the held-out rows. All rows are held in when validation_size is 0; InputError naming `source`
// when it would leave no training row.
struct HeldOutRows {
  std::vector<size_t> held_in, validation;
};
HeldOutRows hold_out_validation(size_t n_rows, const std::vector<int>& labels, const TaskOptions& options,
                                const std::string& source);
// The labels of examples, for stratifying.
std::vector<int> labels_of(const std::vector<Example>& all);

// Canonical description of how a split's rows were chosen (part of the token cache key).
std::string train_selection(const std::string& task, const std::string& framing, const TaskOptions& options);
std::string eval_selection(const std::string& task, const std::string& framing, const TaskOptions& options);
// The evaluation split's name: the task's official one, or "validation" when rows are held out.
std::string eval_split_name(const TaskInfo& info, const TaskOptions& options);

// The concrete tasks; options.data_dir is already resolved.
std::unique_ptr<Task> make_agnews_task(const TaskOptions& options);
std::unique_ptr<Task> make_sst2_task(const TaskOptions& options);
std::unique_ptr<Task> make_stsb_task(const TaskOptions& options);
std::unique_ptr<Task> make_hotpotqa_task(const TaskOptions& options);
std::unique_ptr<Task> make_order_probe_task(const TaskOptions& options);
// The order probe's generated examples (tests): the whole train (6,000) or test (2,000) stream.
std::vector<Example> generate_order_probe(bool train);

}  // namespace hecto::tasks
