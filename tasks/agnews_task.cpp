// AG News topic classification: the paper trains on a 5k sample and tests on the 7,600-row test set.
#include "tasks/agnews_loader.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

constexpr const char* kDefaultTrain = "ag_news/train_sample_5k.csv";
constexpr const char* kTest = "ag_news/test.csv";
constexpr const char* kBuilder = "agnews.title_description/v1";

class AgNewsTask : public Task {
 public:
  explicit AgNewsTask(TaskOptions options) : options_(std::move(options)) {
    if (options_.train_file.empty()) options_.train_file = kDefaultTrain;
  }

  TaskInfo info() const override {
    TaskInfo i;
    i.name = "agnews";
    i.n_classes = 4;
    i.label_names = agnews_class_names();
    i.primary_metric = "accuracy";
    i.metrics = {"accuracy", "macro_f1"};
    i.eval_split_name = "test";
    return i;
  }

  Split load_train() const override {
    const std::string path = data_file(options_, options_.train_file);
    auto rows = sample_training(load_agnews_file(path), options_, true, path);
    return make_split("train", std::move(rows), {path}, kBuilder, train_selection("agnews", "", options_));
  }

  Split load_eval() const override {
    const std::string path = data_file(options_, kTest);
    auto rows = cap_evaluation(load_agnews_file(path), options_, true);
    return make_split("test", std::move(rows), {path}, kBuilder, eval_selection("agnews", "", options_));
  }

  std::vector<std::string> source_files() const override {
    return {data_file(options_, options_.train_file), data_file(options_, kTest)};
  }

 private:
  TaskOptions options_;
};

}  // namespace

std::unique_ptr<Task> make_agnews_task(const TaskOptions& options) { return std::make_unique<AgNewsTask>(options); }

}  // namespace hecto::tasks
