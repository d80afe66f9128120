// The tasks as a run sees them: sampled training sets, evaluation splits, every hotpotqa framing.
#include "tasks/task.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <algorithm>

#include "common/error.h"
#include "tasks/task_common.h"
#include "tests/tasks/label_counts.h"
#include "tests/testing.h"

using hecto::common::InputError;
using namespace hecto::tasks;

using hecto::testing::label_counts;

namespace {

TaskOptions options(const std::string& framing = "", int64_t train_size = 0, uint64_t seed = 0) {
  TaskOptions o;
  o.data_dir = hecto::testing::shared_data_dir().string();
  o.framing = framing;
  o.train_size = train_size;
  o.sample_seed = seed;
  return o;
}

std::set<std::string> groups(const Split& s) {
  std::set<std::string> ids;
  for (const auto& e : s.examples) ids.insert(e.group_id);
  return ids;
}

class Tasks : public ::testing::Test {
 protected:
  void SetUp() override { HECTO_REQUIRE_SHARED_DATA(); }
};

}  // namespace

TEST_F(Tasks, AgNewsDefaultsToTheFiveThousandSampleAndTheTestSet) {
  const auto task = make_task("agnews", options());
  const auto info = task->info();
  EXPECT_EQ(info.n_classes, 4);
  EXPECT_EQ(info.label_names, (std::vector<std::string>{"World", "Sports", "Business", "Sci/Tech"}));
  EXPECT_EQ(info.metrics, (std::vector<std::string>{"accuracy", "macro_f1"}));
  const auto train = task->load_train();
  EXPECT_EQ(train.examples.size(), 5000u);
  EXPECT_EQ(train.source_sha256.at(0), "23ff4a798bef4c6f1bab4018f491757b87e124901515e4e208461e022a163401");
  const auto test = task->load_eval();
  EXPECT_EQ(test.name, "test");
  EXPECT_EQ(test.examples.size(), 7600u);
  EXPECT_EQ(task->source_files().size(), 2u);
  EXPECT_TRUE(std::filesystem::path(task->source_files()[1]).is_absolute());
}

// With the official 120,000-article train installed (make data, online), the seeded sample is
// drawn from it, as the paper does; the staged 5k file is then not read.
TEST_F(Tasks, AgNewsPrefersTheOfficialTrainWhenInstalled) {
  hecto::testing::TempDir dir;
  const auto shared = hecto::testing::shared_data_dir();
  std::filesystem::create_directories(dir / "ag_news");
  std::filesystem::copy_file(shared / "ag_news" / "test.csv", dir / "ag_news" / "test.csv");
  std::filesystem::copy_file(shared / "ag_news" / "train_sample_5k.csv", dir / "ag_news" / "train_sample_5k.csv");
  auto o = options("", 40, 1);
  o.data_dir = dir.path().string();
  EXPECT_EQ(std::filesystem::path(make_task("agnews", o)->load_train().source_files.at(0)).filename(),
            "train_sample_5k.csv");
  // An "official" train: the test file's rows, which the staged sample does not hold.
  std::filesystem::copy_file(shared / "ag_news" / "test.csv", dir / "ag_news" / "train.csv");
  const auto train = make_task("agnews", o)->load_train();
  EXPECT_EQ(std::filesystem::path(train.source_files.at(0)).filename(), "train.csv");
  EXPECT_EQ(train.examples.size(), 40u);
  // An explicit data.train_file still wins.
  o.train_file = "ag_news/train_sample_5k.csv";
  EXPECT_EQ(std::filesystem::path(make_task("agnews", o)->load_train().source_files.at(0)).filename(),
            "train_sample_5k.csv");
}

TEST_F(Tasks, TrainingSampleIsStratifiedSeededAndKeepsFileOrder) {
  const auto a = make_task("agnews", options("", 100, 3))->load_train();
  const auto b = make_task("agnews", options("", 100, 3))->load_train();
  const auto c = make_task("agnews", options("", 100, 4))->load_train();
  ASSERT_EQ(a.examples.size(), 100u);
  EXPECT_EQ(label_counts(a), (std::map<int, int>{{0, 25}, {1, 25}, {2, 26}, {3, 24}}));
  EXPECT_EQ(a.examples.front().text_a, b.examples.front().text_a);
  EXPECT_NE(a.selection, c.selection);
  bool differs = false;
  for (size_t i = 0; i < 100; ++i) differs |= a.examples[i].text_a != c.examples[i].text_a;
  EXPECT_TRUE(differs);
}

TEST_F(Tasks, TrainSizeBeyondTheFileIsAnError) {
  try {
    make_task("agnews", options("", 6000))->load_train();
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("train_size 6000 is more than the 5000 training rows"), std::string::npos)
        << e.what();
    EXPECT_NE(e.where().file.find("train_sample_5k.csv"), std::string::npos);
  }
}

TEST_F(Tasks, EvalSizeCapsWithAFixedStratifiedSubset) {
  auto o = options("", 0, 1);
  o.eval_size = 40;
  const auto e1 = make_task("sst2", o)->load_eval();
  o.sample_seed = 2;
  const auto e2 = make_task("sst2", o)->load_eval();
  ASSERT_EQ(e1.examples.size(), 40u);
  EXPECT_EQ(label_counts(e1), (std::map<int, int>{{0, 20}, {1, 20}}));  // 428/444 of 872 -> 19.6, 20.4 -> 20, 20
  EXPECT_EQ(e1.examples[0].text_a, e2.examples[0].text_a);              // independent of the training seed
}

TEST_F(Tasks, Sst2SampleAndDev) {
  const auto task = make_task("sst2", options("", 1000, 5));
  EXPECT_EQ(task->info().metrics, (std::vector<std::string>{"accuracy", "f1", "macro_f1"}));
  const auto train = task->load_train();
  // 29,780 / 37,569 of 67,349 -> 442.2 / 557.8 -> 442 / 558.
  EXPECT_EQ(label_counts(train), (std::map<int, int>{{0, 442}, {1, 558}}));
  EXPECT_EQ(label_counts(task->load_eval()), (std::map<int, int>{{0, 428}, {1, 444}}));
}

TEST_F(Tasks, StsbIsPairRegressionOnTheReportingScale) {
  const auto task = make_task("stsb", options());
  const auto info = task->info();
  EXPECT_EQ(info.n_classes, 0);
  EXPECT_TRUE(info.pair_input);
  EXPECT_EQ(info.primary_metric, "pearson");
  EXPECT_EQ(task->load_train().examples.size(), 5749u);
  const auto dev = task->load_eval();
  ASSERT_EQ(dev.examples.size(), 1500u);
  EXPECT_FLOAT_EQ(dev.examples[0].score, 5.0f);
  EXPECT_EQ(make_task("stsb", options("", 500, 1))->load_train().examples.size(), 500u);
}

TEST_F(Tasks, HotpotDefaultFramingIsQuestionType) {
  const auto task = make_task("hotpotqa", options());
  const auto info = task->info();
  EXPECT_EQ(info.framing, "question_type");
  EXPECT_EQ(info.label_names, (std::vector<std::string>{"bridge", "comparison"}));
  EXPECT_FALSE(info.pair_input);
  EXPECT_EQ(label_counts(task->load_train()), (std::map<int, int>{{0, 238}, {1, 62}}));
  EXPECT_EQ(label_counts(task->load_eval()), (std::map<int, int>{{0, 394}, {1, 106}}));
}

TEST_F(Tasks, HotpotAnswerTypePairsQuestionWithItsEvidence) {
  const auto task = make_task("hotpotqa", options("answer_type"));
  EXPECT_EQ(task->info().label_names, (std::vector<std::string>{"yes", "no", "span"}));
  EXPECT_TRUE(task->info().pair_input);
  const auto train = task->load_train();
  EXPECT_EQ(label_counts(train), (std::map<int, int>{{0, 11}, {1, 5}, {2, 284}}));
  EXPECT_EQ(label_counts(task->load_eval()), (std::map<int, int>{{0, 14}, {1, 12}, {2, 474}}));
  const auto& first = train.examples[0];
  EXPECT_EQ(first.group_id, "5abf63f15542997ec76fd3ea");
  EXPECT_EQ(first.text_b.rfind("The anti-Bolshevik faction of this party, known as the Right SRs,", 0), 0u);
  EXPECT_NE(first.text_b.find("subsequent persecution. The Russian Civil War (Russian:"), std::string::npos);
}

TEST_F(Tasks, HotpotSupportingFactMakesOnePairPerSentence) {
  const auto task = make_task("hotpotqa", options("supporting_fact"));
  EXPECT_EQ(task->info().primary_metric, "f1");
  const auto train = task->load_train();
  EXPECT_EQ(label_counts(train), (std::map<int, int>{{0, 11418}, {1, 740}}));
  EXPECT_EQ(groups(train).size(), 300u);
  const auto test = task->load_eval();
  EXPECT_EQ(label_counts(test), (std::map<int, int>{{0, 19364}, {1, 1231}}));
  EXPECT_EQ(train.examples[0].text_b.rfind("Socialist Revolutionary Party: The Socialist Revolutionary Party", 0), 0u);
  // Sampling picks whole questions.
  const auto sampled = make_task("hotpotqa", options("supporting_fact", 20, 9))->load_train();
  EXPECT_EQ(groups(sampled).size(), 20u);
}

TEST_F(Tasks, HotpotTrainAndEvalShareNoQuestion) {
  for (const auto& framing : task_framings("hotpotqa")) {
    const auto task = make_task("hotpotqa", options(framing));
    const auto a = groups(task->load_train()), b = groups(task->load_eval());
    EXPECT_EQ(a.size(), 300u) << framing;
    EXPECT_EQ(b.size(), 500u) << framing;
    for (const auto& id : a) ASSERT_EQ(b.count(id), 0u) << framing << " " << id;
  }
}

TEST_F(Tasks, SplitsRecordTheirBuilderAndSelection) {
  const auto s = make_task("hotpotqa", options("answer_type", 50, 2))->load_train();
  EXPECT_EQ(s.input_builder, "hotpotqa.answer_type/v1");
  EXPECT_NE(s.selection.find("train_size=50"), std::string::npos);
  EXPECT_NE(s.selection.find("sample_seed=2"), std::string::npos);
  EXPECT_EQ(s.examples.size(), 50u);
}

TEST(TaskRegistry, UnknownTaskOrFramingIsAnInputError) {
  EXPECT_EQ(task_names(), (std::vector<std::string>{"agnews", "sst2", "stsb", "hotpotqa", "order_probe"}));
  EXPECT_EQ(default_framing("hotpotqa"), "question_type");
  try {
    make_task("mnli", {});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown task 'mnli'"), std::string::npos);
  }
  TaskOptions o;
  o.data_dir = "/";
  o.framing = "answer_span";
  EXPECT_THROW(make_task("hotpotqa", o), InputError);
  o.framing = "answer_type";
  EXPECT_THROW(make_task("agnews", o), InputError);
}

TEST(DataDir, ExplicitThenEnvironmentThenLocalThenShared) {
  hecto::testing::TempDir dir;
  std::filesystem::create_directories(dir / "explicit");
  std::filesystem::create_directories(dir / "env");
  EXPECT_EQ(resolve_data_dir((dir / "explicit").string()), std::filesystem::canonical(dir / "explicit").string());
  EXPECT_THROW(resolve_data_dir((dir / "missing").string()), InputError);

  // Restores the working directory and $HECTO_DATA_DIR even when an assertion returns early.
  struct Restore {
    const char* env = std::getenv("HECTO_DATA_DIR");
    std::string saved = env ? env : "";
    std::filesystem::path cwd = std::filesystem::current_path();
    ~Restore() {
      std::filesystem::current_path(cwd);
      if (env)
        setenv("HECTO_DATA_DIR", saved.c_str(), 1);
      else
        unsetenv("HECTO_DATA_DIR");
    }
  } restore;
  setenv("HECTO_DATA_DIR", (dir / "env").c_str(), 1);
  EXPECT_EQ(resolve_data_dir(""), std::filesystem::canonical(dir / "env").string());
  unsetenv("HECTO_DATA_DIR");

  // ./data only counts when it holds ag_news/; then ../shared/data; else a clear error.
  std::filesystem::create_directories(dir / "work" / "project" / "data");
  std::filesystem::current_path(dir / "work" / "project");
  try {
    resolve_data_dir("");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("HECTO_DATA_DIR"), std::string::npos) << msg;
    EXPECT_NE(msg.find("../shared/data"), std::string::npos) << msg;
    EXPECT_NE(msg.find("make data"), std::string::npos) << msg;
  }
  std::filesystem::create_directories(dir / "work" / "shared" / "data");
  EXPECT_EQ(resolve_data_dir(""), std::filesystem::canonical(dir / "work" / "shared" / "data").string());
  std::filesystem::create_directories(dir / "work" / "project" / "data" / "ag_news");
  EXPECT_EQ(resolve_data_dir(""), std::filesystem::canonical(dir / "work" / "project" / "data").string());
}

// The order probe: the same examples on every run; within the order part presence carries no
// information (every example holds both markers), within the presence part order carries none.
TEST(OrderProbe, PartsSeparateOrderFromPresenceAndTheGeneratorIsFixed) {
  const auto a = hecto::tasks::generate_order_probe(true), b = hecto::tasks::generate_order_probe(true);
  ASSERT_EQ(a.size(), 6000u);
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].text_a, b[i].text_a);
  std::map<int, int> counts;
  for (const auto& e : a) {
    ++counts[e.label];
    std::vector<std::string> words;
    std::istringstream in(e.text_a);
    for (std::string w; in >> w;) words.push_back(w);
    const auto at = [&](const char* w) { return std::find(words.begin(), words.end(), w) - words.begin(); };
    const auto red = at("red"), blue = at("blue"), n = static_cast<long>(words.size());
    if (e.group_id == "order") {
      ASSERT_LT(red, n) << e.text_a;
      ASSERT_LT(blue, n) << e.text_a;
      EXPECT_EQ(e.label, red < blue ? 0 : 1) << e.text_a;
    } else {
      EXPECT_EQ(e.group_id, "presence");
      const bool cat = at("cat") < n, dog = at("dog") < n;
      EXPECT_TRUE(cat || dog) << e.text_a;
      EXPECT_EQ(e.label, cat && dog ? 2 : 3) << e.text_a;
    }
  }
  for (int label = 0; label < 4; ++label) EXPECT_GT(counts[label], 600) << label;
  EXPECT_NE(hecto::tasks::generate_order_probe(false).front().text_a, a.front().text_a);
}
