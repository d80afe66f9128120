#include <gtest/gtest.h>

#include "reports/stats.h"

namespace hecto::reports {
namespace {

TEST(ReportStats, MeanAndSampleStd) {
  const auto s = summarize({1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  ASSERT_TRUE(s.std);
  EXPECT_NEAR(*s.std, 1.2909944, 1e-6);
  EXPECT_EQ(s.n, 4);
  EXPECT_FALSE(summarize({7}).std);
}

TEST(ReportStats, StudentTTailMatchesTables) {
  // Two-sided 5% critical values: t(1) = 12.706, t(10) = 2.228, t(30) = 2.042.
  EXPECT_NEAR(student_t_two_sided_p(12.706, 1), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(2.228, 10), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(-2.042, 30), 0.05, 1e-4);
  EXPECT_NEAR(student_t_two_sided_p(0, 5), 1.0, 1e-12);
}

TEST(ReportStats, WelchSeparatesOnlyBeyondTheSeedSpread) {
  // Welch: t = -3 / sqrt(0.5 + 2) = -1.897, df = 5.88, p = 0.107 (scipy.stats.ttest_ind, equal_var=False).
  auto c = compare_seeds({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  ASSERT_TRUE(c.p);
  EXPECT_NEAR(*c.p, 0.1075, 5e-4);
  EXPECT_EQ(c.verdict, Verdict::Within);

  c = compare_seeds({0.70, 0.71, 0.69}, {0.80, 0.82, 0.81});
  EXPECT_EQ(c.verdict, Verdict::Lower);
  EXPECT_LT(*c.p, 0.001);
  EXPECT_EQ(compare_seeds({0.80, 0.82, 0.81}, {0.70, 0.71, 0.69}).verdict, Verdict::Higher);
}

TEST(ReportStats, ZeroSpreadAndTooFewSeeds) {
  EXPECT_EQ(compare_seeds({0.25, 0.25}, {0.25, 0.25}).verdict, Verdict::Within);
  EXPECT_EQ(compare_seeds({0.30, 0.30}, {0.25, 0.25}).verdict, Verdict::Higher);
  EXPECT_EQ(compare_seeds({0.30}, {0.25, 0.26}).verdict, Verdict::Untestable);
  EXPECT_FALSE(compare_seeds({0.30}, {0.25, 0.26}).p);
}

}  // namespace
}  // namespace hecto::reports
