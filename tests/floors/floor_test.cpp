// The floors on data with a known answer: scikit-learn's TF-IDF numbers, LIBLINEAR fitting what is
// learnable, and the majority class.
#include <gtest/gtest.h>

#include <cmath>

#include "experiment/config.h"
#include "floors/floor.h"
#include "floors/linear.h"
#include "floors/tfidf.h"
#include "tests/testing.h"

using namespace hecto::floors;
using hecto::testing::TempDir;
using hecto::testing::write_file;

TEST(Tfidf, TokensAreRunsOfTwoOrMoreWordCharactersLowercased) {
  EXPECT_EQ(word_tokens("Hello, World! a_b x 42 Über"),
            (std::vector<std::string>{"hello", "world", "a_b", "42", "über"}));
  EXPECT_EQ(word_ngrams({"a1", "b2", "c3"}, 2), (std::vector<std::string>{"a1", "b2", "c3", "a1 b2", "b2 c3"}));
}

TEST(Tfidf, MatchesScikitLearnOnATinyCorpus) {
  // TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(docs).transform(["the cat the cat"])
  TfidfVectorizer v(2);
  v.fit({"The cat sat on the mat.", "The dog sat.", "A cat and a dog!"});
  EXPECT_EQ(v.size(), 16);
  const auto row = v.transform("the cat the cat");
  ASSERT_EQ(row.size(), 3u);
  std::map<double, int> values;
  for (const auto& [i, x] : row) values[std::round(x * 1e9) / 1e9]++;
  EXPECT_EQ(values[std::round(0.680918560398684 * 1e9) / 1e9], 1);  // "the cat"
  EXPECT_EQ(values[std::round(0.5178561161676976 * 1e9) / 1e9], 2);  // "the", "cat"
  EXPECT_NEAR(dot(row, row), 1.0, 1e-12);
  EXPECT_TRUE(v.transform("zebra").empty());
}

TEST(Liblinear, LogisticRegressionLearnsASeparableProblemAndRidgeALine) {
  std::vector<SparseVector> x;
  std::vector<int> labels;
  for (int i = 0; i < 40; ++i) {
    x.push_back({{i % 3, 1.0}});  // class = the one active feature
    labels.push_back(i % 3);
  }
  const auto lr = LinearModel::logistic_regression(x, labels, 3, 10.0);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(lr.predict({{k, 1.0}}), k);

  std::vector<SparseVector> rows;
  std::vector<double> y;
  for (int i = 1; i <= 50; ++i) {
    rows.push_back({{0, i / 10.0}});
    y.push_back(2.0 * i / 10.0 + 1.0);
  }
  const auto ridge = LinearModel::ridge_regression(rows, y, 1, 1e4);
  EXPECT_NEAR(ridge.predict({{0, 3.0}}), 7.0, 0.05);
}

namespace {
// An SST-2-shaped data directory: "good" sentences are positive, "bad" ones negative, 3:1 positive.
std::string toy_sst2(const TempDir& dir) {
  std::string train = "sentence\tlabel\n", dev = "sentence\tlabel\n";
  for (int i = 0; i < 40; ++i) train += (i % 4 == 0 ? "a bad bad film " : "a good good film ") + std::string("\t") + (i % 4 == 0 ? "0" : "1") + "\n";
  for (int i = 0; i < 8; ++i) dev += (i % 2 == 0 ? "bad acting " : "good acting ") + std::string("\t") + (i % 2 == 0 ? "0" : "1") + "\n";
  write_file(dir / "sst2" / "train.tsv", train);
  write_file(dir / "sst2" / "dev.tsv", dev);
  return dir.path().string();
}
}  // namespace

TEST(Floor, MajorityPredictsTheCommonestTrainingClassAndTfidfLearnsTheWords) {
  TempDir dir;
  const auto data = toy_sst2(dir);
  hecto::experiment::Config c;
  c.data.task = "sst2";
  c.data.train_size = 0;
  c.model.kind = hecto::experiment::ModelKind::Majority;
  const auto majority = train_and_evaluate(c, data);
  EXPECT_DOUBLE_EQ(majority.metrics.at("eval").at("accuracy"), 0.5);  // all positive; half of dev is
  c.model.kind = hecto::experiment::ModelKind::TfidfLinear;
  const auto tfidf = train_and_evaluate(c, data);
  EXPECT_DOUBLE_EQ(tfidf.metrics.at("eval").at("accuracy"), 1.0);
  EXPECT_EQ(tfidf.provenance.encoder_name, "none (floor)");
  c.model.kind = hecto::experiment::ModelKind::TfidfCosine;
  EXPECT_THROW(train_and_evaluate(c, data), hecto::common::InputError);  // SST-2 has no pairs
}
