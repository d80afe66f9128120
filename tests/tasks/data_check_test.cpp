// `hecto data check`'s work: every task and framing loads from the real files, hashes match
// PROVENANCE.md and the counts are the documented ones.
#include "tasks/data_check.h"

#include <gtest/gtest.h>

#include "tests/testing.h"

using namespace hecto::tasks;

TEST(DataCheck, DescribesEveryTaskAndFramingOfTheRealData) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto report = check_data(hecto::testing::shared_data_dir().string());
  EXPECT_TRUE(report.loaded_all());
  EXPECT_TRUE(report.warnings.empty()) << report.warnings.front();
  ASSERT_EQ(report.tasks.size(), 7u);  // agnews, sst2, stsb, hotpotqa x 3 framings, order_probe
  const auto& ag = report.tasks[0];
  EXPECT_EQ(ag.task, "agnews");
  ASSERT_EQ(ag.splits.size(), 2u);
  EXPECT_EQ(ag.splits[1].rows, 7600u);
  EXPECT_EQ(ag.splits[1].files[0].path, "ag_news/test.csv");
  EXPECT_TRUE(ag.splits[1].files[0].matches());
  EXPECT_FALSE(ag.splits[1].files[0].expected.empty());
  EXPECT_EQ(ag.splits[0].label_counts[2], (std::pair<std::string, size_t>{"Business", 1281}));
  const auto& sts = report.tasks[2];
  EXPECT_TRUE(sts.splits[1].regression);
  EXPECT_NEAR(sts.splits[1].score_mean, 2.364, 1e-3);
  EXPECT_DOUBLE_EQ(sts.splits[1].score_max, 5.0);
  EXPECT_EQ(report.tasks[5].framing, "supporting_fact");
  EXPECT_EQ(report.tasks[5].splits[0].groups, 300u);

  const std::string text = format_data_check(report);
  EXPECT_NE(text.find("521465c2428ed7f02f8d6db6ffdd4b5447c1c701962353eb2c40d548c3c85699  ok"), std::string::npos);
  EXPECT_NE(text.find("hotpotqa (framing answer_type)"), std::string::npos);
  EXPECT_NE(text.find("labels: negative 428, positive 444"), std::string::npos);
  EXPECT_NE(text.find("score mean 2.364, min 0.000, max 5.000"), std::string::npos);
}

TEST(DataCheck, MissingFilesAreReportedPerTaskNotThrown) {
  hecto::testing::TempDir dir;
  hecto::testing::write_file(dir / "sst2" / "dev.tsv", "sentence\tlabel\nfine \t1\n");
  const auto report = check_data(dir.path().string());
  EXPECT_FALSE(report.loaded_all());
  ASSERT_EQ(report.tasks.size(), 7u);  // 4 file-backed tasks (hotpotqa in 3 framings) and the generated order probe
  EXPECT_NE(report.tasks[0].error.find("cannot open"), std::string::npos) << report.tasks[0].error;
  EXPECT_EQ(report.tasks[6].task, "order_probe");
  EXPECT_TRUE(report.tasks[6].error.empty()) << report.tasks[6].error;  // reads no file
  EXPECT_NE(format_data_check(report).find("some tasks failed to load"), std::string::npos);
}
