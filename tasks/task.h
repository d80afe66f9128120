#pragma once
// A task: where its data comes from, how an example becomes encoder input, its label space and
// its metrics. No knowledge of the runner, SQLite or TOML.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hecto::tasks {

struct Example {
  std::string text_a;
  std::string text_b;    // second segment for pair inputs (STS-B, HotpotQA supporting_fact); empty otherwise
  int label = -1;        // class id for classification
  float score = 0.0f;    // regression target on the task's reporting scale (STS-B: 0-5)
  std::string group_id;  // e.g. HotpotQA question id: splits never divide a group
};

struct Split {
  std::string name;  // "train", "dev", "test"
  std::vector<Example> examples;
  std::vector<std::string> source_files;  // absolute paths read
  std::vector<std::string> source_sha256;
  // What turned the files into these examples, so caches keyed on it go stale when either changes:
  // the input builder with its version (e.g. "hotpotqa.answer_type/v1") and the selection
  // (task, framing, sample size, seed) in a canonical "key=value;..." form.
  std::string input_builder;
  std::string selection;
};

struct TaskOptions {
  std::string data_dir;      // root holding ag_news/, sst2/, stsb/, hotpotqa/, tokenizer/
  std::string framing;       // hotpotqa: question_type | answer_type | supporting_fact ("" = default)
  int64_t train_size = 0;    // sample this many training examples (0 = all)
  int64_t eval_size = 0;     // cap evaluation examples (0 = all; smoke profiles only)
  int64_t validation_size = 0;  // hold this many rows of the training file out as the evaluation
                                // split, in place of the official one (0 = the official split)
  uint64_t sample_seed = 0;  // seed of the training sample
  std::string train_file;    // training file relative to data_dir ("" = the task's: for AG News the
                             // official ag_news/train.csv when installed, else train_sample_5k.csv)
};

struct TaskInfo {
  std::string name;                      // agnews | sst2 | stsb | hotpotqa
  std::string framing;                   // resolved framing ("" when the task has one)
  int n_classes = 0;                     // 0 = regression
  std::vector<std::string> label_names;  // classification only
  std::string primary_metric;            // "accuracy", "pearson", ...
  std::vector<std::string> metrics;      // every metric it reports
  bool pair_input = false;
  std::string eval_split_name;  // "test" (AG News), "dev" (SST-2, STS-B), "validation" (held out), ...
};

class Task {
 public:
  virtual ~Task() = default;
  virtual TaskInfo info() const = 0;
  // Training examples after sampling (seeded, stratified where labels exist).
  virtual Split load_train() const = 0;
  // The evaluation split the paper reports on.
  virtual Split load_eval() const = 0;
  // Every file load_train/load_eval read (absolute paths), without loading them: cell ids hash these.
  virtual std::vector<std::string> source_files() const = 0;
};

std::vector<std::string> task_names();
// The framings a task accepts (hotpotqa: question_type, answer_type, supporting_fact; others: none)
// and the one an empty TaskOptions.framing resolves to.
std::vector<std::string> task_framings(const std::string& name);
std::string default_framing(const std::string& name);

// Where the datasets live: explicit_dir, else $HECTO_DATA_DIR, else ./data (when it holds
// ag_news/), else ../shared/data. Throws InputError listing every place tried.
std::string resolve_data_dir(const std::string& explicit_dir);
// The BERT uncased WordPiece vocabulary under a data directory: what random encoders, the
// pretraining corpus and `hecto tokenize` use when nothing else is named.
std::string default_vocab_path(const std::string& data_dir);
// Throws InputError for an unknown task or framing.
std::unique_ptr<Task> make_task(const std::string& name, const TaskOptions& options);

// Predictions -> metrics. Classification: accuracy, macro_f1 (and f1 of class 1 for binary
// tasks); regression (on the reporting scale): pearson, spearman, mse.
std::map<std::string, double> score_classification(const std::vector<int>& truth, const std::vector<int>& pred,
                                                   int n_classes);
std::map<std::string, double> score_regression(const std::vector<float>& truth, const std::vector<float>& pred);

}  // namespace hecto::tasks
