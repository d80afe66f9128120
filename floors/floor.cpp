#include "floors/floor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include "common/error.h"
#include "common/sha256.h"
#include "floors/linear.h"
#include "floors/tfidf.h"
#include "tasks/data_source.h"
#include "tasks/task.h"

namespace hecto::floors {

using experiment::Config;
using experiment::ModelKind;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Predictions {
  std::vector<int> classes;
  std::vector<float> scores;
};

// A sentence pair as features: how similar (cosine), where they differ, what they share.
SparseVector pair_features(const SparseVector& a, const SparseVector& b, int32_t vocabulary) {
  std::map<int32_t, double> out;
  out[0] = dot(a, b);
  for (const auto& [i, v] : a) out[1 + i] += v;
  for (const auto& [i, v] : b) out[1 + i] -= v;
  for (auto& [i, v] : out)
    if (i > 0) v = std::abs(v);
  size_t j = 0;
  for (const auto& [i, v] : a) {
    while (j < b.size() && b[j].first < i) ++j;
    if (j < b.size() && b[j].first == i) out[1 + vocabulary + i] = v * b[j].second;
  }
  SparseVector row;
  for (const auto& [i, v] : out)
    if (v != 0) row.emplace_back(i, v);
  return row;
}

class Featuriser {
 public:
  Featuriser(const std::vector<tasks::Example>& train, bool pair, int max_ngram) : pair_(pair), tfidf_(max_ngram) {
    std::vector<std::string> documents;
    for (const auto& e : train) {
      documents.push_back(e.text_a);
      if (pair_) documents.push_back(e.text_b);
    }
    tfidf_.fit(documents);
  }
  SparseVector row(const tasks::Example& e) const {
    if (!pair_) return tfidf_.transform(e.text_a);
    return pair_features(tfidf_.transform(e.text_a), tfidf_.transform(e.text_b), tfidf_.size());
  }
  double cosine(const tasks::Example& e) const { return dot(tfidf_.transform(e.text_a), tfidf_.transform(e.text_b)); }
  int32_t width() const { return pair_ ? 1 + 2 * tfidf_.size() : tfidf_.size(); }

 private:
  bool pair_;
  TfidfVectorizer tfidf_;
};

Predictions majority(const tasks::Split& train, const tasks::Split& eval, bool regression) {
  Predictions p;
  if (regression) {
    double mean = 0;
    for (const auto& e : train.examples) mean += e.score / static_cast<double>(train.examples.size());
    p.scores.assign(eval.examples.size(), static_cast<float>(mean));
    return p;
  }
  std::map<int, int64_t> counts;
  for (const auto& e : train.examples) ++counts[e.label];
  // The most frequent class; a tie goes to the smallest class id.
  const auto best = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  p.classes.assign(eval.examples.size(), best->first);
  return p;
}

Predictions tfidf_linear(const Config& c, const tasks::Split& train, const tasks::Split& eval, bool regression,
                         bool pair) {
  const Featuriser f(train.examples, pair, c.floor.max_ngram);
  std::vector<SparseVector> rows;
  for (const auto& e : train.examples) rows.push_back(f.row(e));
  Predictions p;
  if (regression) {
    std::vector<double> y;
    for (const auto& e : train.examples) y.push_back(e.score);
    const auto m = LinearModel::ridge_regression(rows, y, f.width(), c.floor.c);
    for (const auto& e : eval.examples) p.scores.push_back(static_cast<float>(m.predict(f.row(e))));
  } else {
    std::vector<int> y;
    for (const auto& e : train.examples) y.push_back(e.label);
    const auto m = LinearModel::logistic_regression(rows, y, f.width(), c.floor.c);
    for (const auto& e : eval.examples) p.classes.push_back(static_cast<int>(std::lround(m.predict(f.row(e)))));
  }
  return p;
}

Predictions tfidf_cosine(const Config& c, const tasks::Split& train, const tasks::Split& eval) {
  const Featuriser f(train.examples, true, c.floor.max_ngram);
  Predictions p;
  for (const auto& e : eval.examples) p.scores.push_back(static_cast<float>(5.0 * f.cosine(e)));
  return p;
}

}  // namespace

bool is_floor(ModelKind kind) { return kind != ModelKind::Hecto; }

results::CellResult train_and_evaluate(const Config& c, const std::string& data_dir) {
  const auto task = tasks::make_task(c.data.task, experiment::task_options(c, data_dir));
  const auto info = task->info();
  const bool regression = info.n_classes == 0;
  if (c.model.kind == ModelKind::TfidfCosine && !(info.pair_input && regression))
    throw common::InputError({}, "model.kind = \"tfidf_cosine\" on task '" + c.data.task + "'",
                             "a sentence-pair regression task (stsb)");

  results::CellResult r;
  for (const auto& f : task->source_files()) {
    const std::string sha = r.provenance.data_sha256[f] = common::sha256_file(f);
    if (auto kind = tasks::data_source_kind(data_dir, f, sha); !kind.empty()) r.provenance.data_source[f] = kind;
  }
  const auto train = task->load_train();
  const auto eval = task->load_eval();
  const auto start = Clock::now();
  Predictions p;
  switch (c.model.kind) {
    case ModelKind::Majority: p = majority(train, eval, regression); break;
    case ModelKind::TfidfLinear: p = tfidf_linear(c, train, eval, regression, info.pair_input); break;
    case ModelKind::TfidfCosine: p = tfidf_cosine(c, train, eval); break;
    case ModelKind::Hecto: throw common::RunError("floors::train_and_evaluate called for a Hecto cell");
  }
  const double seconds = seconds_since(start);

  if (regression) {
    std::vector<float> truth;
    for (const auto& e : eval.examples) truth.push_back(e.score);
    r.metrics["eval"] = tasks::score_regression(truth, p.scores);
  } else {
    std::vector<int> truth;
    for (const auto& e : eval.examples) truth.push_back(e.label);
    r.metrics["eval"] = tasks::score_classification(truth, p.classes, info.n_classes);
  }
  r.timing.train_seconds = seconds;  // fitting and predicting together: seconds either way
  r.timing.train_samples_per_second = seconds > 0 ? static_cast<double>(train.examples.size()) / seconds : 0;
  r.provenance.encoder_name = "none (floor)";
  r.provenance.precision = "fp64";
  return r;
}

}  // namespace hecto::floors
