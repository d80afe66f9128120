// `hecto data check` end to end, and the token cache on a real split.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "tasks/task.h"
#include "tasks/token_cache.h"
#include "tests/testing.h"
#include "text/tokenizer.h"

namespace {

std::string hecto_binary() { return (hecto::testing::binary_dir() / "hecto").string(); }

}  // namespace

TEST(DataCli, CheckPrintsEveryTaskWithHashesAndCounts) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto r = hecto::testing::run_command(hecto_binary() + " data check --data-dir " +
                                             hecto::testing::shared_data_dir().string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("labels: World 1900, Sports 1900, Business 1900, Sci/Tech 1900"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("hotpotqa (framing supporting_fact)"), std::string::npos);
  EXPECT_NE(r.output.find("train: 12158 rows from 300 questions"), std::string::npos);
  EXPECT_NE(r.output.find("all tasks loaded"), std::string::npos);
  EXPECT_EQ(r.output.find("DIFFERS"), std::string::npos);
}

TEST(DataCli, MissingDataDirectoryIsBadInput) {
  const auto r = hecto::testing::run_command(hecto_binary() + " data check --data-dir /nonexistent/hecto-data");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
  EXPECT_NE(hecto::testing::run_command(hecto_binary() + " data").exit_code, 0);
}

TEST(TokenCacheReal, AgNewsTestSplitIsTokenisedOnceThenRead) {
  HECTO_REQUIRE_SHARED_DATA();
  hecto::tasks::TaskOptions o;
  o.data_dir = hecto::testing::shared_data_dir().string();
  const auto split = hecto::tasks::make_task("agnews", o)->load_eval();
  const auto tok = hecto::text::Tokenizer::from_file(hecto::testing::vocab_path().string());
  hecto::testing::TempDir dir;
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const auto miss = hecto::tasks::tokenize_split(split, tok, 128, false, dir.path().string());
  const auto t1 = clock::now();
  const auto hit = hecto::tasks::tokenize_split(split, tok, 128, false, dir.path().string());
  const auto t2 = clock::now();
  EXPECT_FALSE(miss.cache_hit);
  EXPECT_TRUE(hit.cache_hit);
  ASSERT_EQ(hit.size(), 7600u);
  EXPECT_EQ(hit.encodings[7599].ids, miss.encodings[7599].ids);
  std::cout << "agnews test (7600 rows, max_len 128): tokenise "
            << std::chrono::duration<double, std::milli>(t1 - t0).count() << " ms, cache read "
            << std::chrono::duration<double, std::milli>(t2 - t1).count() << " ms\n";
}
