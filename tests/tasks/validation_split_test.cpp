// data.validation_size: rows of the training file held out as the evaluation split, the same rows
// for every seed, never trained on, and the official evaluation split left unread.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "tasks/task.h"
#include "tasks/task_common.h"
#include "tests/tasks/label_counts.h"
#include "tests/testing.h"

using hecto::common::InputError;
using namespace hecto::tasks;

using hecto::testing::label_counts;

namespace {

TaskOptions held_out_options(int64_t validation_size, int64_t train_size, uint64_t seed = 0,
                             const std::string& framing = "") {
  TaskOptions o;
  o.data_dir = hecto::testing::shared_data_dir().string();
  o.framing = framing;
  o.validation_size = validation_size;
  o.train_size = train_size;
  o.sample_seed = seed;
  return o;
}

std::set<std::string> texts(const Split& s) {
  std::set<std::string> out;
  for (const auto& e : s.examples) out.insert(e.text_a + "\t" + e.text_b);
  return out;
}

class ValidationSplit : public ::testing::Test {
 protected:
  void SetUp() override { HECTO_REQUIRE_SHARED_DATA(); }
};

}  // namespace

TEST(HoldOutValidation, SplitsTheRowsInTwoInFileOrderTheSameWayEveryTime) {
  TaskOptions o;
  o.validation_size = 3;
  const std::vector<int> labels = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const auto a = hold_out_validation(labels.size(), labels, o, "f");
  const auto b = hold_out_validation(labels.size(), labels, o, "f");
  EXPECT_EQ(a.validation, b.validation);
  ASSERT_EQ(a.validation.size(), 3u);
  ASSERT_EQ(a.held_in.size(), 7u);
  std::set<size_t> all(a.validation.begin(), a.validation.end());
  all.insert(a.held_in.begin(), a.held_in.end());
  EXPECT_EQ(all.size(), 10u);  // every row on exactly one side
  EXPECT_TRUE(std::is_sorted(a.validation.begin(), a.validation.end()));
  EXPECT_TRUE(std::is_sorted(a.held_in.begin(), a.held_in.end()));
  int positives = 0;
  for (size_t r : a.validation) positives += labels[r];
  EXPECT_GE(positives, 1);  // stratified: both classes held out
  EXPECT_LE(positives, 2);
}

TEST(HoldOutValidation, NoneHeldOutAtZeroAndAnErrorWhenNothingIsLeftToTrainOn) {
  TaskOptions o;
  const auto none = hold_out_validation(4, {}, o, "f");
  EXPECT_TRUE(none.validation.empty());
  EXPECT_EQ(none.held_in.size(), 4u);
  o.validation_size = 4;
  try {
    hold_out_validation(4, {}, o, "train.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("validation_size 4 leaves none of the 4 training rows"), std::string::npos)
        << e.what();
    EXPECT_EQ(e.where().file, "train.csv");
  }
}

TEST_F(ValidationSplit, AgNewsScoresOnTrainingRowsItNeverTrainsOnTheSameForEverySeed) {
  const auto task = make_task("agnews", held_out_options(1000, 3000, 0));
  EXPECT_EQ(task->info().eval_split_name, "validation");
  const auto train = task->load_train();
  const auto validation = task->load_eval();
  EXPECT_EQ(validation.name, "validation");
  ASSERT_EQ(validation.examples.size(), 1000u);
  EXPECT_EQ(train.examples.size(), 3000u);
  EXPECT_EQ(validation.source_files, train.source_files);  // the training file, not test.csv
  for (const auto& f : task->source_files()) EXPECT_EQ(f.find("test.csv"), std::string::npos) << f;

  const auto held_out = texts(validation);
  for (const auto& t : texts(train)) ASSERT_EQ(held_out.count(t), 0u) << t;

  // Stratified like the file: each class within one row of its share of 1,000.
  const auto whole = make_task("agnews", held_out_options(0, 0))->load_train();
  for (const auto& [label, n] : label_counts(whole))
    EXPECT_NEAR(label_counts(validation).at(label), 1000.0 * n / whole.examples.size(), 1.0) << label;

  const auto other_seed = make_task("agnews", held_out_options(1000, 3000, 1));
  EXPECT_EQ(texts(other_seed->load_eval()), held_out);
  EXPECT_NE(texts(other_seed->load_train()), texts(train));  // the sample still follows the seed
  EXPECT_NE(validation.selection, make_task("agnews", held_out_options(0, 3000))->load_eval().selection);
}

TEST_F(ValidationSplit, TheTrainingSampleMustFitInWhatIsLeft) {
  try {
    make_task("agnews", held_out_options(1000, 5000))->load_train();
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("train_size 5000 is more than the 4000 training rows available once "
                                         "validation_size holds 1000 out"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ValidationSplit, Sst2HoldsOutTrainingSentencesAndLeavesDevUnread) {
  const auto task = make_task("sst2", held_out_options(200, 1000, 3));
  const auto validation = task->load_eval();
  ASSERT_EQ(validation.examples.size(), 200u);
  EXPECT_NE(validation.source_files.at(0).find("train.tsv"), std::string::npos);
  const auto held_out = texts(validation);
  for (const auto& t : texts(task->load_train())) ASSERT_EQ(held_out.count(t), 0u) << t;
}

TEST_F(ValidationSplit, HotpotHoldsOutWholeQuestions) {
  for (const auto& framing : task_framings("hotpotqa")) {
    const auto task = make_task("hotpotqa", held_out_options(60, 0, 0, framing));
    std::set<std::string> train_ids, validation_ids;
    for (const auto& e : task->load_train().examples) train_ids.insert(e.group_id);
    for (const auto& e : task->load_eval().examples) validation_ids.insert(e.group_id);
    EXPECT_EQ(validation_ids.size(), 60u) << framing;
    EXPECT_EQ(train_ids.size(), 240u) << framing;  // the 300 training questions, less those held out
    for (const auto& id : validation_ids) ASSERT_EQ(train_ids.count(id), 0u) << framing << " " << id;
  }
}
