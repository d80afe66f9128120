// The tasks that differ only in constants (files, labels, metrics, loader): AG News, SST-2 and
// STS-B, each one row of a table read by one Task class.
//   AG News topic classification: the paper trains on a 5k sample and tests on the 7,600-row test set.
//   GLUE SST-2 sentiment: a seeded sample of the 67k training sentences, evaluated on dev (872),
//     as GLUE's test labels are not public.
//   STS-B sentence-pair similarity (0-5), from the original STS-benchmark release (the pairs and
//     scores GLUE re-wraps); evaluated on dev (1,500) as GLUE's test scores are not public.
#include <filesystem>

#include "tasks/agnews_loader.h"
#include "tasks/glue_loaders.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

struct TaskTable {
  TaskInfo info;
  std::string train_file;  // relative to the data directory; options.train_file replaces it
  // The official training file, preferred when `make data` installed it (AG News: the full
  // 120,000-article train, from which the paper draws its seeded 5k sample); "" when the staged
  // file is the official one.
  std::string official_train_file;
  std::string eval_file;
  std::string builder;  // the input builder's name and version, part of the token cache key
  std::vector<Example> (*load)(const std::string& path);
};

const TaskTable& agnews_table() {
  static const TaskTable t{{"agnews", "", 4, agnews_class_names(), "accuracy", {"accuracy", "macro_f1"}, false, "test"},
                           "ag_news/train_sample_5k.csv",
                           "ag_news/train.csv",
                           "ag_news/test.csv",
                           "agnews.title_description/v1",
                           load_agnews_file};
  return t;
}

const TaskTable& sst2_table() {
  static const TaskTable t{
      {"sst2", "", 2, {"negative", "positive"}, "accuracy", {"accuracy", "f1", "macro_f1"}, false, "dev"},
      "sst2/train.tsv",
      "",
      "sst2/dev.tsv",
      "sst2.sentence/v1",
      load_sst2_file};
  return t;
}

const TaskTable& stsb_table() {
  static const TaskTable t{{"stsb", "", 0, {}, "pearson", {"pearson", "spearman", "mse"}, true, "dev"},
                           "stsb/sts-train.csv",
                           "",
                           "stsb/sts-dev.csv",
                           "stsb.sentence_pair/v1",
                           load_stsb_file};
  return t;
}

class TableTask : public Task {
 public:
  TableTask(const TaskTable& table, TaskOptions options) : table_(table), options_(std::move(options)) {
    if (options_.train_file.empty()) options_.train_file = default_train_file();
  }

  TaskInfo info() const override {
    TaskInfo i = table_.info;
    i.eval_split_name = eval_split_name(table_.info, options_);
    return i;
  }

  Split load_train() const override {
    const std::string path = train_path();
    const auto all = table_.load(path);
    auto rows = sample_training(take_rows(all, held_out(all, path).held_in), options_, classify(), path);
    return make_split("train", std::move(rows), {path}, table_.builder,
                      train_selection(table_.info.name, "", options_));
  }

  Split load_eval() const override {
    const bool validation = options_.validation_size > 0;
    const std::string path = validation ? train_path() : eval_path();
    auto all = table_.load(path);
    if (validation) all = take_rows(all, held_out(all, path).validation);
    auto rows = cap_evaluation(all, options_, classify());
    return make_split(info().eval_split_name, std::move(rows), {path}, table_.builder,
                      eval_selection(table_.info.name, "", options_));
  }

  std::vector<std::string> source_files() const override {
    if (options_.validation_size > 0) return {train_path()};
    return {train_path(), eval_path()};
  }

 private:
  bool classify() const { return table_.info.n_classes > 0; }
  std::string train_path() const { return data_file(options_, options_.train_file); }
  std::string eval_path() const { return data_file(options_, table_.eval_file); }
  HeldOutRows held_out(const std::vector<Example>& all, const std::string& path) const {
    return hold_out_validation(all.size(), classify() ? labels_of(all) : std::vector<int>{}, options_, path);
  }
  std::string default_train_file() const {
    const bool official = !table_.official_train_file.empty() &&
                          std::filesystem::is_regular_file(data_file(options_, table_.official_train_file));
    return official ? table_.official_train_file : table_.train_file;
  }

  const TaskTable& table_;
  TaskOptions options_;
};

}  // namespace

std::unique_ptr<Task> make_agnews_task(const TaskOptions& options) {
  return std::make_unique<TableTask>(agnews_table(), options);
}
std::unique_ptr<Task> make_sst2_task(const TaskOptions& options) {
  return std::make_unique<TableTask>(sst2_table(), options);
}
std::unique_ptr<Task> make_stsb_task(const TaskOptions& options) {
  return std::make_unique<TableTask>(stsb_table(), options);
}

}  // namespace hecto::tasks
