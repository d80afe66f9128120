// A synthetic probe the suite generates itself (no download): does routing follow
// order-sensitive against order-free reasoning when a task is built to separate them?
//
// Each example is 10-18 filler words with marker words placed among them. Two parts:
//   order:    both "red" and "blue" occur once; the label says which comes first. Word presence
//             cannot tell the classes apart: only order can.
//   presence: "cat" and/or "dog" occur; the label says whether both do. Order never matters.
// The part is part of the label (4 classes), so the routing per true class the suite already
// records is the routing per part: a model that sends order-sensitive inputs to its sequence
// expert shows it there. The generator is seeded (train and test from different streams), so
// every cell, on every machine, sees the same examples.
#include <random>

#include "tasks/sampling.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

namespace {

constexpr const char* kBuilder = "order_probe.generated/v1";
constexpr uint64_t kTrainStream = 1, kTestStream = 2;
constexpr size_t kTrainExamples = 6000, kTestExamples = 2000;

// Single WordPiece tokens of the uncased BERT vocabulary, none of them a marker.
const std::vector<std::string>& fillers() {
  static const std::vector<std::string> words = {
      "the",    "a",      "of",     "house",  "tree",   "river", "city",  "road",  "book",   "table",  "chair",
      "window", "garden", "music",  "paper",  "stone",  "light", "water", "bread", "cloud",  "field",  "market",
      "letter", "song",   "game",   "story",  "bridge", "door",  "wall",  "glass", "coffee", "winter", "summer",
      "morning", "evening", "street", "school", "office", "train", "ship",  "plane", "horse",  "bird",   "fish",
      "apple",  "orange", "green",  "small",  "large",  "old",   "new",   "quiet", "busy",   "slow",   "fast",
      "near",   "far",    "under",  "over",   "with",   "from",  "into",  "after", "during", "again",  "often"};
  return words;
}

const std::vector<std::string>& labels() {
  static const std::vector<std::string> names = {"order: red before blue", "order: blue before red",
                                                 "presence: cat and dog", "presence: only one"};
  return names;
}

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

Example generate_one(std::mt19937_64& rng) {
  const auto& pool = fillers();
  std::vector<std::string> words(10 + uniform_below(rng, 9));
  for (auto& w : words) w = pool[uniform_below(rng, pool.size())];
  // Distinct positions for the two markers.
  const size_t n = words.size();
  const size_t i = uniform_below(rng, n);
  size_t j = uniform_below(rng, n - 1);
  if (j >= i) ++j;
  Example e;
  if (uniform_below(rng, 2) == 0) {  // order part
    words[i] = "red";
    words[j] = "blue";
    e.label = i < j ? 0 : 1;
    e.group_id = "order";
  } else {  // presence part: both markers, or one of them
    const uint64_t which = uniform_below(rng, 3);  // 0: both, 1: cat only, 2: dog only
    if (which == 0) {
      words[i] = "cat";
      words[j] = "dog";
    } else {
      words[i] = which == 1 ? "cat" : "dog";
    }
    e.label = which == 0 ? 2 : 3;
    e.group_id = "presence";
  }
  e.text_a = join(words);
  return e;
}

std::vector<Example> generate(uint64_t stream, size_t count) {
  std::mt19937_64 rng(0x6f72646572ULL + stream);  // "order"
  std::vector<Example> out;
  out.reserve(count);
  for (size_t k = 0; k < count; ++k) out.push_back(generate_one(rng));
  return out;
}

class OrderProbeTask : public Task {
 public:
  explicit OrderProbeTask(TaskOptions options) : options_(std::move(options)) {}

  TaskInfo info() const override {
    TaskInfo i;
    i.name = "order_probe";
    i.n_classes = static_cast<int>(labels().size());
    i.label_names = labels();
    i.primary_metric = "accuracy";
    i.metrics = {"accuracy", "macro_f1"};
    i.eval_split_name = eval_split_name(i, options_);
    return i;
  }

  Split load_train() const override {
    const auto all = generate(kTrainStream, kTrainExamples);
    auto rows = sample_training(take_rows(all, held_out(all).held_in), options_, true, kSource);
    return make_split("train", std::move(rows), {}, kBuilder, train_selection("order_probe", "", options_));
  }

  Split load_eval() const override {
    const bool validation = options_.validation_size > 0;
    auto all = validation ? generate(kTrainStream, kTrainExamples) : generate(kTestStream, kTestExamples);
    if (validation) all = take_rows(all, held_out(all).validation);
    auto rows = cap_evaluation(all, options_, true);
    return make_split(info().eval_split_name, std::move(rows), {}, kBuilder, eval_selection("order_probe", "", options_));
  }

  std::vector<std::string> source_files() const override { return {}; }  // generated: nothing read

 private:
  static constexpr const char* kSource = "order_probe generator";
  HeldOutRows held_out(const std::vector<Example>& all) const {
    return hold_out_validation(all.size(), labels_of(all), options_, kSource);
  }

  TaskOptions options_;
};

}  // namespace

std::unique_ptr<Task> make_order_probe_task(const TaskOptions& options) {
  return std::make_unique<OrderProbeTask>(options);
}

// The generator's examples, exposed for tests.
std::vector<Example> generate_order_probe(bool train) {
  return train ? generate(kTrainStream, kTrainExamples) : generate(kTestStream, kTestExamples);
}

}  // namespace hecto::tasks
