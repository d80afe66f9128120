// Metrics against values worked out by hand (and matching sklearn / scipy on the same inputs).
#include "tasks/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"
#include "tasks/task.h"

using namespace hecto::tasks;

TEST(Metrics, PerClassScoresAndMacroF1SkipAClassAbsentFromBothSides) {
  // Class 3 is in neither truth nor prediction: macro-F1 averages classes 0-2 only.
  const std::vector<int> truth{0, 0, 1, 1, 2, 2}, pred{0, 1, 1, 1, 0, 2};
  const auto c = per_class_scores(truth, pred, 4);
  EXPECT_DOUBLE_EQ(c[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(c[0].recall, 0.5);
  EXPECT_DOUBLE_EQ(c[1].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c[1].recall, 1.0);
  EXPECT_NEAR(c[1].f1, 0.8, 1e-12);
  EXPECT_NEAR(c[2].f1, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(c[3].support, 0);
  const auto m = score_classification(truth, pred, 4);
  EXPECT_NEAR(m.at("accuracy"), 4.0 / 6.0, 1e-12);
  EXPECT_NEAR(m.at("macro_f1"), (0.5 + 0.8 + 2.0 / 3.0) / 3.0, 1e-12);
  EXPECT_EQ(m.count("f1"), 0u);  // only binary tasks report a positive-class F1
}

TEST(Metrics, ClassOnlyPredictedCountsWithF1Zero) {
  // sklearn f1_score([0,0,1],[0,2,1],average="macro") = 0.5556: class 2 is predicted, never true.
  const auto m = score_classification({0, 0, 1}, {0, 2, 1}, 3);
  EXPECT_NEAR(m.at("macro_f1"), (2.0 / 3.0 + 1.0 + 0.0) / 3.0, 1e-12);
}

TEST(Metrics, BinaryF1IsThePositiveClass) {
  const auto m = score_classification({1, 0, 1, 1, 0}, {1, 1, 0, 1, 0}, 2);
  EXPECT_NEAR(m.at("f1"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.at("precision"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.at("accuracy"), 0.6, 1e-12);
  // Class 0: tp 1 of 2 predicted, 1 of 2 true -> F1 0.5; macro = (0.5 + 2/3) / 2.
  EXPECT_NEAR(m.at("macro_f1"), (0.5 + 2.0 / 3.0) / 2.0, 1e-12);
}

TEST(Metrics, PearsonSpearmanWithTiesAndMse) {
  EXPECT_NEAR(pearson({1, 2, 3, 4}, {2, 4, 5, 4}), 3.5 / std::sqrt(23.75), 1e-12);
  EXPECT_EQ(average_ranks({10, 20, 20, 5, 20}), (std::vector<double>{2, 4, 4, 1, 4}));
  // scipy.stats.spearmanr([1,2,2,3],[1,3,2,4]) = 0.9486832980505138
  EXPECT_NEAR(spearman({1, 2, 2, 3}, {1, 3, 2, 4}), 0.9486832980505138, 1e-12);
  const auto m = score_regression({1.f, 2.f, 3.f}, {1.5f, 2.f, 2.f});
  EXPECT_NEAR(m.at("mse"), 1.25 / 3.0, 1e-7);
  EXPECT_NEAR(m.at("pearson"), pearson({1, 2, 3}, {1.5, 2, 2}), 1e-12);
  EXPECT_TRUE(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));
}

TEST(Metrics, MismatchedOrOutOfRangeInputIsAnError) {
  EXPECT_THROW(accuracy({0, 1}, {0}), hecto::common::RunError);
  EXPECT_THROW(per_class_scores({0, 5}, {0, 1}, 2), hecto::common::RunError);
  EXPECT_THROW(score_regression({}, {}), hecto::common::RunError);
}
