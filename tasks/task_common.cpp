#include "tasks/task_common.h"

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

std::vector<Example> take_rows(const std::vector<Example>& all, const std::vector<size_t>& rows) {
  std::vector<Example> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(all[r]);
  return out;
}

namespace {

std::vector<int> labels_of(const std::vector<Example>& all) {
  std::vector<int> labels;
  labels.reserve(all.size());
  for (const auto& e : all) labels.push_back(e.label);
  return labels;
}

std::vector<Example> subset(const std::vector<Example>& all, size_t k, uint64_t seed, bool classify) {
  if (k == 0 || k >= all.size()) return all;
  return take_rows(all, classify ? stratified_sample(labels_of(all), k, seed) : sample_indices(all.size(), k, seed));
}

}  // namespace

std::vector<Example> sample_training(const std::vector<Example>& all, const TaskOptions& options, bool classify,
                                     const std::string& source) {
  if (options.train_size < 0) throw common::InputError({}, "train_size is negative", "0 (all) or a positive count");
  if (static_cast<size_t>(options.train_size) > all.size())
    throw common::InputError({source},
                             "train_size " + std::to_string(options.train_size) + " is more than the " +
                                 std::to_string(all.size()) + " training rows available",
                             "train_size <= " + std::to_string(all.size()));
  return subset(all, static_cast<size_t>(options.train_size), options.sample_seed, classify);
}

std::vector<Example> cap_evaluation(const std::vector<Example>& all, const TaskOptions& options, bool classify) {
  if (options.eval_size < 0) throw common::InputError({}, "eval_size is negative", "0 (all) or a positive count");
  return subset(all, static_cast<size_t>(options.eval_size), kEvalSubsetSeed, classify);
}

std::string train_selection(const std::string& task, const std::string& framing, const TaskOptions& options) {
  std::string s = "task=" + task + ";framing=" + framing + ";split=train;train_file=" + options.train_file;
  if (options.train_size == 0) return s + ";train_size=all";
  return s + ";train_size=" + std::to_string(options.train_size) +
         ";sample_seed=" + std::to_string(options.sample_seed) + ";sampler=stratified-fy-mt19937_64/v1";
}

std::string eval_selection(const std::string& task, const std::string& framing, const TaskOptions& options) {
  std::string s = "task=" + task + ";framing=" + framing + ";split=eval";
  if (options.eval_size == 0) return s + ";eval_size=all";
  return s + ";eval_size=" + std::to_string(options.eval_size) +
         ";sampler=stratified-fy-mt19937_64/v1;seed=" + std::to_string(kEvalSubsetSeed);
}

}  // namespace hecto::tasks
