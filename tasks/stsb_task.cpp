// STS-B sentence-pair similarity (0-5), from the original STS-benchmark release (the sentence
// pairs and scores GLUE re-wraps); evaluated on dev (1,500) as GLUE's test scores are not public.
#include "tasks/glue_loaders.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

constexpr const char* kTrain = "stsb/sts-train.csv";
constexpr const char* kDev = "stsb/sts-dev.csv";
constexpr const char* kBuilder = "stsb.sentence_pair/v1";

class StsbTask : public Task {
 public:
  explicit StsbTask(TaskOptions options) : options_(std::move(options)) {
    if (options_.train_file.empty()) options_.train_file = kTrain;
  }

  TaskInfo info() const override {
    TaskInfo i;
    i.name = "stsb";
    i.n_classes = 0;
    i.primary_metric = "pearson";
    i.metrics = {"pearson", "spearman", "mse"};
    i.pair_input = true;
    i.eval_split_name = "dev";
    return i;
  }

  Split load_train() const override {
    const std::string path = data_file(options_, options_.train_file);
    auto rows = sample_training(load_stsb_file(path), options_, false, path);
    return make_split("train", std::move(rows), {path}, kBuilder, train_selection("stsb", "", options_));
  }

  Split load_eval() const override {
    const std::string path = data_file(options_, kDev);
    auto rows = cap_evaluation(load_stsb_file(path), options_, false);
    return make_split("dev", std::move(rows), {path}, kBuilder, eval_selection("stsb", "", options_));
  }

  std::vector<std::string> source_files() const override {
    return {data_file(options_, options_.train_file), data_file(options_, kDev)};
  }

 private:
  TaskOptions options_;
};

}  // namespace

std::unique_ptr<Task> make_stsb_task(const TaskOptions& options) { return std::make_unique<StsbTask>(options); }

}  // namespace hecto::tasks
