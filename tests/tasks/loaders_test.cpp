// The loaders on the real staged files: row counts, label counts and first rows as documented in
// shared/data/PROVENANCE.md.
#include <gtest/gtest.h>

#include <map>

#include "tasks/agnews_loader.h"
#include "tasks/glue_loaders.h"
#include "tasks/hotpotqa_loader.h"
#include "tests/tasks/label_counts.h"
#include "tests/testing.h"

using namespace hecto::tasks;

using hecto::testing::label_counts;

namespace {

std::string data(const std::string& rel) { return (hecto::testing::shared_data_dir() / rel).string(); }

class RealData : public ::testing::Test {
 protected:
  void SetUp() override { HECTO_REQUIRE_SHARED_DATA(); }
};

}  // namespace

TEST_F(RealData, AgNewsOriginalTestCsv) {
  const auto rows = load_agnews_file(data("ag_news/test.csv"));
  ASSERT_EQ(rows.size(), 7600u);
  EXPECT_EQ(label_counts(rows), (std::map<int, int>{{0, 1900}, {1, 1900}, {2, 1900}, {3, 1900}}));
  EXPECT_EQ(rows[0].label, 2);  // class 3 = Business
  EXPECT_EQ(rows[0].text_a,
            "Fears for T N pension after talks Unions representing workers at Turner   Newall say they are "
            "'disappointed' after talks with stricken parent firm Federal Mogul.");
  // A backslash stands for a line break and becomes a space.
  EXPECT_EQ(rows[1].text_a.find('\\'), std::string::npos);
  EXPECT_NE(rows[1].text_a.find("A second team of rocketeers"), std::string::npos);
  EXPECT_NE(rows[4].text_a.find("smog-fighting"), std::string::npos);
}

TEST_F(RealData, AgNewsHuggingFaceSample) {
  const auto rows = load_agnews_file(data("ag_news/train_sample_5k.csv"));
  ASSERT_EQ(rows.size(), 5000u);
  EXPECT_EQ(label_counts(rows), (std::map<int, int>{{0, 1259}, {1, 1257}, {2, 1281}, {3, 1203}}));
  EXPECT_EQ(rows[0].label, 3);
  EXPECT_EQ(rows[0].text_a.rfind("BEA buzzing about Beehive BURLINGAME, CALIF.-- BEA Systems", 0), 0u);
}

TEST_F(RealData, AgNewsAlpsDescriptionOnlyTsv) {
  const auto rows = load_agnews_file(data("ag_news/train_sample_10k_description_only.tsv"));
  ASSERT_EQ(rows.size(), 10001u);
  EXPECT_EQ(label_counts(rows), (std::map<int, int>{{0, 2509}, {1, 2458}, {2, 2496}, {3, 2538}}));
  EXPECT_EQ(rows[0].label, 3);
}

TEST_F(RealData, Sst2TrainAndDev) {
  const auto dev = load_sst2_file(data("sst2/dev.tsv"));
  ASSERT_EQ(dev.size(), 872u);
  EXPECT_EQ(label_counts(dev), (std::map<int, int>{{0, 428}, {1, 444}}));
  EXPECT_EQ(dev[0].text_a, "it 's a charming and often affecting journey .");
  EXPECT_EQ(dev[0].label, 1);
  EXPECT_EQ(dev[1].text_a, "unflinchingly bleak and desperate");
  const auto train = load_sst2_file(data("sst2/train.tsv"));
  ASSERT_EQ(train.size(), 67349u);
  EXPECT_EQ(label_counts(train), (std::map<int, int>{{0, 29780}, {1, 37569}}));
  EXPECT_EQ(train[0].text_a, "hide new secretions from the parental units");
}

TEST_F(RealData, StsbOriginalAndGlueLayoutsAgree) {
  const auto dev = load_stsb_file(data("stsb/sts-dev.csv"));
  ASSERT_EQ(dev.size(), 1500u);
  EXPECT_EQ(dev[0].text_a, "A man with a hard hat is dancing.");
  EXPECT_EQ(dev[0].text_b, "A man wearing a hard hat is dancing.");
  EXPECT_FLOAT_EQ(dev[0].score, 5.0f);
  EXPECT_FLOAT_EQ(dev[1].score, 4.75f);
  double sum = 0;
  for (const auto& e : dev) sum += e.score;
  EXPECT_NEAR(sum / dev.size(), 2.3639, 1e-3);
  const auto glue_dev = load_stsb_file(data("stsb/dev.tsv"));
  ASSERT_EQ(glue_dev.size(), dev.size());
  for (size_t i = 0; i < dev.size(); ++i) {
    ASSERT_EQ(glue_dev[i].text_a, dev[i].text_a) << i;
    ASSERT_EQ(glue_dev[i].score, dev[i].score) << i;
  }
  const auto train = load_stsb_file(data("stsb/sts-train.csv"));
  EXPECT_EQ(train.size(), 5749u);
  // GLUE strips whitespace the original keeps in 311 rows; trimmed, the two are the same.
  const auto glue_train = load_stsb_file(data("stsb/train.tsv"));
  ASSERT_EQ(glue_train.size(), train.size());
  for (size_t i = 0; i < train.size(); ++i) ASSERT_EQ(glue_train[i].text_b, train[i].text_b) << i;
}

TEST_F(RealData, HotpotQaJsonLinesAndOfficialLayout) {
  const auto train = load_hotpotqa_file(data("hotpotqa/dev_distractor_subset_train.jsonl"));
  ASSERT_EQ(train.size(), 300u);
  EXPECT_EQ(train[0].id, "5abf63f15542997ec76fd3ea");
  EXPECT_EQ(train[0].line, 1);
  EXPECT_EQ(train[0].answer, "October 1922");
  EXPECT_EQ(train[0].supporting_facts.size(), 2u);
  EXPECT_EQ(train[0].supporting_facts[0], (std::pair<std::string, int>{"Socialist Revolutionary Party", 5}));
  EXPECT_EQ(train[0].context.size(), 10u);
  int comparison = 0;
  for (const auto& r : train) comparison += r.type == "comparison";
  EXPECT_EQ(comparison, 62);

  const auto official = load_hotpotqa_file(data("hotpotqa/official_format_first53_dev_distractor.json"));
  ASSERT_EQ(official.size(), 53u);
  EXPECT_EQ(official[0].id, "5a8b57f25542995d1e6f1371");
  EXPECT_EQ(official[0].question, "Were Scott Derrickson and Ed Wood of the same nationality?");
  EXPECT_EQ(official[0].answer, "yes");
  EXPECT_EQ(official[0].supporting_facts[1], (std::pair<std::string, int>{"Ed Wood", 0}));
  EXPECT_EQ(official[0].context[0].title, "Ed Wood (film)");
}
