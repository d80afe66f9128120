// HotpotQA trained on its official training file (data.train_file = hotpotqa/hotpot_train_v1.1.json,
// what `make data` installs when online): full records in the official layout, any framing, and
// never a question of the evaluation file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "tasks/task.h"
#include "tests/testing.h"

using hecto::tasks::make_task;
using hecto::tasks::TaskOptions;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

std::string official_record(const std::string& id, const std::string& question, const std::string& answer,
                            const std::string& type) {
  return "{\"_id\": \"" + id + "\", \"question\": \"" + question + "\", \"answer\": \"" + answer + "\", \"type\": \"" +
         type +
         "\", \"level\": \"easy\", \"supporting_facts\": [[\"A\", 0]], \"context\": [[\"A\", [\"A is first.\"]], "
         "[\"B\", [\"B is second.\"]]]}";
}

// A data directory with the staged evaluation file and a small official-layout training file
// whose last record repeats the first evaluation question.
TaskOptions data_with_official_train(const TempDir& dir, const std::string& framing) {
  const auto shared = hecto::testing::shared_data_dir();
  std::filesystem::create_directories(dir / "hotpotqa");
  std::filesystem::copy_file(shared / "hotpotqa" / "dev_distractor_subset_test.jsonl",
                             dir / "hotpotqa" / "dev_distractor_subset_test.jsonl");
  std::ifstream test(shared / "hotpotqa" / "dev_distractor_subset_test.jsonl");
  std::string first;
  std::getline(test, first);
  const auto q = first.find("\"question\": \"") + 13;
  const std::string eval_question = first.substr(q, first.find('"', q) - q);
  write_file(dir / "hotpotqa" / "hotpot_train_v1.1.json",
             "[" + official_record("t1", "Which is first, A or B?", "A", "comparison") + ", " +
                 official_record("t2", "Is A older than B?", "yes", "comparison") + ", " +
                 official_record("t3", "Who wrote the book that A is about?", "B", "bridge") + ", " +
                 official_record("t4", eval_question, "no", "comparison") + "]");
  TaskOptions o;
  o.data_dir = dir.path().string();
  o.framing = framing;
  o.train_file = "hotpotqa/hotpot_train_v1.1.json";
  return o;
}

}  // namespace

TEST(HotpotQaTrainFile, OfficialTrainFileTrainsEveryFramingWithoutEvaluationQuestions) {
  HECTO_REQUIRE_SHARED_DATA();
  for (const char* framing : {"question_type", "answer_type"}) {
    TempDir dir;
    const auto task = make_task("hotpotqa", data_with_official_train(dir, framing));
    const auto train = task->load_train();
    EXPECT_EQ(train.examples.size(), 3u) << framing << ": 4 records, one of them an evaluation question";
    EXPECT_EQ(train.source_files.front(), (dir / "hotpotqa" / "hotpot_train_v1.1.json").string()) << framing;
    EXPECT_EQ(task->source_files().front(), (dir / "hotpotqa" / "hotpot_train_v1.1.json").string()) << framing;
  }
}

TEST(HotpotQaTrainFile, QuestionsOnlyFileStillServesQuestionTypeAlone) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  auto o = data_with_official_train(dir, "answer_type");
  write_file(dir / "hotpotqa" / "questions.json",
             R"([{"question": "Is A older?", "answer": "yes", "type": "comparison"}])");
  o.train_file = "hotpotqa/questions.json";
  EXPECT_THROW(make_task("hotpotqa", o)->load_train(), hecto::common::InputError);
  o.framing = "question_type";
  EXPECT_EQ(make_task("hotpotqa", o)->load_train().examples.size(), 1u);
}
