// GLUE SST-2 sentiment: a seeded sample of the 67k training sentences, evaluated on dev (872),
// as GLUE's test labels are not public.
#include "tasks/glue_loaders.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

constexpr const char* kTrain = "sst2/train.tsv";
constexpr const char* kDev = "sst2/dev.tsv";
constexpr const char* kBuilder = "sst2.sentence/v1";

class Sst2Task : public Task {
 public:
  explicit Sst2Task(TaskOptions options) : options_(std::move(options)) {}

  TaskInfo info() const override {
    TaskInfo i;
    i.name = "sst2";
    i.n_classes = 2;
    i.label_names = {"negative", "positive"};
    i.primary_metric = "accuracy";
    i.metrics = {"accuracy", "f1", "macro_f1"};
    i.eval_split_name = "dev";
    return i;
  }

  Split load_train() const override {
    const std::string path = data_file(options_, kTrain);
    auto rows = sample_training(load_sst2_file(path), options_, true, path);
    return make_split("train", std::move(rows), {path}, kBuilder, train_selection("sst2", "", options_));
  }

  Split load_eval() const override {
    const std::string path = data_file(options_, kDev);
    auto rows = cap_evaluation(load_sst2_file(path), options_, true);
    return make_split("dev", std::move(rows), {path}, kBuilder, eval_selection("sst2", "", options_));
  }

  std::vector<std::string> source_files() const override { return {data_file(options_, kTrain), data_file(options_, kDev)}; }

 private:
  TaskOptions options_;
};

}  // namespace

std::unique_ptr<Task> make_sst2_task(const TaskOptions& options) { return std::make_unique<Sst2Task>(options); }

}  // namespace hecto::tasks
