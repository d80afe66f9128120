#include "tasks/task_common.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "common/sha256.h"
#include "tasks/sampling.h"

namespace hecto::tasks {

std::string data_file(const TaskOptions& options, const std::string& relative) {
  return (std::filesystem::path(options.data_dir) / relative).lexically_normal().string();
}

Split make_split(std::string name, std::vector<Example> examples, std::vector<std::string> files,
                 std::string input_builder, std::string selection) {
  Split split;
  split.name = std::move(name);
  split.examples = std::move(examples);
  for (const auto& f : files) split.source_sha256.push_back(common::sha256_file(f));
  split.source_files = std::move(files);
  split.input_builder = std::move(input_builder);
  split.selection = std::move(selection);
  return split;
}

std::vector<int> labels_of(const std::vector<Example>& all) {
  std::vector<int> labels;
  labels.reserve(all.size());
  for (const auto& e : all) labels.push_back(e.label);
  return labels;
}

HeldOutRows hold_out_validation(size_t n_rows, const std::vector<int>& labels, const TaskOptions& options,
                                const std::string& source) {
  if (options.validation_size < 0)
    throw common::InputError({}, "validation_size is negative", "0 (the official evaluation split) or a positive count");
  const auto k = static_cast<size_t>(options.validation_size);
  HeldOutRows rows;
  if (k >= n_rows && k > 0)
    throw common::InputError({source},
                             "validation_size " + std::to_string(k) + " leaves none of the " + std::to_string(n_rows) +
                                 " training rows to train on",
                             "validation_size < " + std::to_string(n_rows));
  if (k > 0)
    rows.validation = labels.empty() ? sample_indices(n_rows, k, kValidationSeed)
                                     : stratified_sample(labels, k, kValidationSeed);
  std::sort(rows.validation.begin(), rows.validation.end());
  std::vector<bool> held_out(n_rows, false);
  for (size_t r : rows.validation) held_out[r] = true;
  for (size_t r = 0; r < n_rows; ++r)
    if (!held_out[r]) rows.held_in.push_back(r);
  return rows;
}

namespace {

std::vector<Example> subset(const std::vector<Example>& all, size_t k, uint64_t seed, bool classify) {
  if (k == 0 || k >= all.size()) return all;
  return take_rows(all, classify ? stratified_sample(labels_of(all), k, seed) : sample_indices(all.size(), k, seed));
}

std::string after_validation(const TaskOptions& options) {
  if (options.validation_size <= 0) return "";
  return " once validation_size holds " + std::to_string(options.validation_size) + " out";
}

std::string validation_selection(const TaskOptions& options) {
  return ";validation_size=" + std::to_string(options.validation_size) +
         ";validation_sampler=stratified-fy-mt19937_64/v1;validation_seed=" + std::to_string(kValidationSeed);
}

}  // namespace

std::vector<Example> sample_training(const std::vector<Example>& all, const TaskOptions& options, bool classify,
                                     const std::string& source) {
  if (options.train_size < 0) throw common::InputError({}, "train_size is negative", "0 (all) or a positive count");
  if (static_cast<size_t>(options.train_size) > all.size())
    throw common::InputError({source},
                             "train_size " + std::to_string(options.train_size) + " is more than the " +
                                 std::to_string(all.size()) + " training rows available" + after_validation(options),
                             "train_size <= " + std::to_string(all.size()));
  return subset(all, static_cast<size_t>(options.train_size), options.sample_seed, classify);
}

std::vector<Example> cap_evaluation(const std::vector<Example>& all, const TaskOptions& options, bool classify) {
  if (options.eval_size < 0) throw common::InputError({}, "eval_size is negative", "0 (all) or a positive count");
  return subset(all, static_cast<size_t>(options.eval_size), kEvalSubsetSeed, classify);
}

std::string train_selection(const std::string& task, const std::string& framing, const TaskOptions& options) {
  std::string s = "task=" + task + ";framing=" + framing + ";split=train;train_file=" + options.train_file;
  if (options.validation_size > 0) s += validation_selection(options);
  if (options.train_size == 0) return s + ";train_size=all";
  return s + ";train_size=" + std::to_string(options.train_size) +
         ";sample_seed=" + std::to_string(options.sample_seed) + ";sampler=stratified-fy-mt19937_64/v1";
}

std::string eval_selection(const std::string& task, const std::string& framing, const TaskOptions& options) {
  std::string s = "task=" + task + ";framing=" + framing + ";split=eval";
  if (options.validation_size > 0) s += ";train_file=" + options.train_file + validation_selection(options);
  if (options.eval_size == 0) return s + ";eval_size=all";
  return s + ";eval_size=" + std::to_string(options.eval_size) +
         ";sampler=stratified-fy-mt19937_64/v1;seed=" + std::to_string(kEvalSubsetSeed);
}

std::string eval_split_name(const TaskInfo& info, const TaskOptions& options) {
  return options.validation_size > 0 ? kValidationSplitName : info.eval_split_name;
}

}  // namespace hecto::tasks
