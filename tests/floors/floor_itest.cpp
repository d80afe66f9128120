// The floors reproduce scikit-learn on the real files (same rows): AG News with every row of the 5k
// sample (LIBLINEAR's logistic regression, C = 10: 87.80% in scikit-learn's liblinear solver,
// 87.64% in its lbfgs one) and STS-B's untrained unigram TF-IDF cosine (Pearson 0.7215).
#include <gtest/gtest.h>

#include "experiment/config.h"
#include "floors/floor.h"
#include "tests/testing.h"

using hecto::experiment::Config;
using hecto::experiment::ModelKind;

TEST(FloorReal, AgNewsTfidfLogisticRegressionMatchesScikitLearn) {
  HECTO_REQUIRE_SHARED_DATA();
  Config c;
  c.data.task = "agnews";
  c.data.train_size = 5000;
  c.model.kind = ModelKind::TfidfLinear;
  c.floor.c = 10;
  const auto r = hecto::floors::train_and_evaluate(c, hecto::testing::shared_data_dir().string());
  EXPECT_NEAR(r.metrics.at("eval").at("accuracy"), 0.8780, 0.01);
}

TEST(FloorReal, StsbUnigramCosineMatchesScikitLearn) {
  HECTO_REQUIRE_SHARED_DATA();
  Config c;
  c.data.task = "stsb";
  c.data.train_size = 0;
  c.model.kind = ModelKind::TfidfCosine;
  c.floor.max_ngram = 1;
  const auto r = hecto::floors::train_and_evaluate(c, hecto::testing::shared_data_dir().string());
  EXPECT_NEAR(r.metrics.at("eval").at("pearson"), 0.7215, 0.01);
}
