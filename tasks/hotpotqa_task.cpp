// HotpotQA (distractor, dev questions) as classification under a named framing. Splits are by
// question: train and eval come from disjoint files of whole questions, and sampling picks
// questions, so a question's sentences never land on both sides.
#include <fstream>
#include <set>

#include "common/error.h"
#include "tasks/hotpotqa_framing.h"
#include "tasks/sampling.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

constexpr const char* kTrain = "hotpotqa/dev_distractor_subset_train.jsonl";
constexpr const char* kTest = "hotpotqa/dev_distractor_subset_test.jsonl";

class HotpotQaTask : public Task {
 public:
  HotpotQaTask(TaskOptions options, const HotpotFraming& framing) : options_(std::move(options)), framing_(framing) {}

  TaskInfo info() const override {
    TaskInfo i;
    i.name = "hotpotqa";
    i.framing = framing_.name;
    i.n_classes = static_cast<int>(framing_.label_names.size());
    i.label_names = framing_.label_names;
    i.primary_metric = framing_.primary_metric;
    i.metrics = {"accuracy", "macro_f1"};
    if (i.n_classes == 2) i.metrics.insert(i.metrics.begin() + 1, "f1");
    i.pair_input = framing_.pair_input;
    i.eval_split_name = "test";
    i.eval_split_name = eval_split_name(i, options_);
    return i;
  }

  Split load_train() const override {
    const std::string path = data_file(options_, train_file());
    const auto all = training_records(path);
    const auto records = take_rows(all, held_out(all, path).held_in);
    if (options_.train_size < 0) throw common::InputError({}, "train_size is negative", "0 (all) or a positive count");
    if (static_cast<size_t>(options_.train_size) > records.size())
      throw common::InputError({path},
                               "train_size " + std::to_string(options_.train_size) + " is more than the " +
                                   std::to_string(records.size()) + " training questions available",
                               "train_size <= " + std::to_string(records.size()));
    auto rows = select(records, path, static_cast<size_t>(options_.train_size), options_.sample_seed);
    return make_split("train", std::move(rows), {path}, framing_.builder,
                      train_selection("hotpotqa", framing_.name, options_));
  }

  Split load_eval() const override {
    const bool validation = options_.validation_size > 0;
    const std::string path = data_file(options_, validation ? train_file() : kTest);
    if (options_.eval_size < 0) throw common::InputError({}, "eval_size is negative", "0 (all) or a positive count");
    auto records = validation ? training_records(path) : load_hotpotqa_file(path);
    if (validation) records = take_rows(records, held_out(records, path).validation);
    auto rows = select(records, path, static_cast<size_t>(options_.eval_size), kEvalSubsetSeed);
    return make_split(info().eval_split_name, std::move(rows), {path}, framing_.builder,
                      eval_selection("hotpotqa", framing_.name, options_));
  }

  std::vector<std::string> source_files() const override {
    // A held-out training file still reads the evaluation file: its questions are dropped from training.
    if (options_.validation_size > 0 && options_.train_file.empty()) return {data_file(options_, train_file())};
    return {data_file(options_, train_file()), data_file(options_, kTest)};
  }

 private:
  std::string train_file() const { return options_.train_file.empty() ? kTrain : options_.train_file; }

  std::vector<HotpotRecord> training_records(const std::string& path) const {
    return options_.train_file.empty() ? load_hotpotqa_file(path) : held_in_records(path);
  }

  // Validation questions are held out whole, stratified by label where a question is one example.
  HeldOutRows held_out(const std::vector<HotpotRecord>& records, const std::string& path) const {
    std::vector<int> labels;
    if (framing_.name != "supporting_fact" && options_.validation_size > 0)
      for (const auto& r : records) labels.push_back(frame_hotpot_record(r, framing_, path).front().label);
    return hold_out_validation(records.size(), labels, options_, path);
  }

  // data.train_file as the training split, minus every question of the evaluation file (matched
  // by its text: the questions-only file has no ids), so a file that holds dev questions (the
  // questions-only dev file, the official dev file) never trains on what is evaluated:
  //  - full records (the official layout, hotpot_train_v1.1.json, or JSON lines): any framing;
  //  - questions only (all 7,405 dev questions with their type): question_type alone.
  std::vector<HotpotRecord> held_in_records(const std::string& path) const {
    const bool questions_only = !has_context(path);
    if (questions_only && framing_.name != "question_type")
      throw common::InputError({path},
                               "data.train_file names a questions-only file for framing '" + framing_.name + "'",
                               "framing question_type (the other framings need each question's context)");
    std::set<std::string> held_out;
    for (const auto& r : load_hotpotqa_file(data_file(options_, kTest))) held_out.insert(r.question);
    std::vector<HotpotRecord> kept;
    for (auto& r : questions_only ? load_hotpotqa_questions(path) : load_hotpotqa_file(path))
      if (!held_out.count(r.question)) kept.push_back(std::move(r));
    return kept;
  }

  // Whether the file's records carry their paragraphs: every full record has a "context" key
  // within its first few kilobytes; a questions-only file has none.
  static bool has_context(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(1 << 16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    return head.find("\"context\"") != std::string::npos;
  }

  // k questions (0 = all): stratified by label when a question is one example, else uniformly
  // over questions (supporting_fact, where k counts questions, not sentence pairs).
  std::vector<Example> select(const std::vector<HotpotRecord>& records, const std::string& path, size_t k,
                              uint64_t seed) const {
    std::vector<std::vector<Example>> per_question;
    for (const auto& r : records) per_question.push_back(frame_hotpot_record(r, framing_, path));
    std::vector<size_t> chosen;
    if (k == 0 || k >= records.size()) {
      chosen = sample_indices(records.size(), records.size(), seed);
    } else if (framing_.name == "supporting_fact") {
      chosen = sample_indices(records.size(), k, seed);
    } else {
      std::vector<int> labels;
      for (const auto& q : per_question) labels.push_back(q.front().label);
      chosen = stratified_sample(labels, k, seed);
    }
    std::vector<Example> out;
    for (size_t q : chosen) out.insert(out.end(), per_question[q].begin(), per_question[q].end());
    return out;
  }

  TaskOptions options_;
  HotpotFraming framing_;
};

}  // namespace

std::unique_ptr<Task> make_hotpotqa_task(const TaskOptions& options) {
  return std::make_unique<HotpotQaTask>(options, hotpot_framing(options.framing));
}

}  // namespace hecto::tasks
