#include "tasks/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "common/error.h"
#include "tasks/task.h"

namespace hecto::tasks {

using common::RunError;

namespace {

void require_same_size(size_t a, size_t b) {
  if (a != b) throw RunError("metrics: " + std::to_string(a) + " truths but " + std::to_string(b) + " predictions");
  if (a == 0) throw RunError("metrics: no examples to score");
}

double ratio(double num, double den) { return den == 0 ? 0.0 : num / den; }

}  // namespace

std::vector<ClassScores> per_class_scores(const std::vector<int>& truth, const std::vector<int>& pred, int n_classes) {
  require_same_size(truth.size(), pred.size());
  std::vector<ClassScores> classes(n_classes);
  std::vector<int64_t> correct(n_classes, 0);
  for (int c = 0; c < n_classes; ++c) classes[c].label = c;
  for (size_t i = 0; i < truth.size(); ++i) {
    const int t = truth[i], p = pred[i];
    if (t < 0 || t >= n_classes || p < 0 || p >= n_classes)
      throw RunError("metrics: label out of range 0.." + std::to_string(n_classes - 1) + " (truth " +
                     std::to_string(t) + ", prediction " + std::to_string(p) + ")");
    ++classes[t].support;
    ++classes[p].predicted;
    if (t == p) ++correct[t];
  }
  for (int c = 0; c < n_classes; ++c) {
    auto& s = classes[c];
    s.precision = ratio(correct[c], s.predicted);
    s.recall = ratio(correct[c], s.support);
    s.f1 = ratio(2.0 * s.precision * s.recall, s.precision + s.recall);
  }
  return classes;
}

double accuracy(const std::vector<int>& truth, const std::vector<int>& pred) {
  require_same_size(truth.size(), pred.size());
  size_t hits = 0;
  for (size_t i = 0; i < truth.size(); ++i) hits += truth[i] == pred[i];
  return static_cast<double>(hits) / truth.size();
}

double macro_f1(const std::vector<ClassScores>& classes) {
  double sum = 0;
  int present = 0;
  for (const auto& c : classes) {
    if (c.support == 0 && c.predicted == 0) continue;
    sum += c.f1;
    ++present;
  }
  return present == 0 ? 0.0 : sum / present;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  require_same_size(x.size(), y.size());
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return std::numeric_limits<double>::quiet_NaN();
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  require_same_size(x.size(), y.size());
  return pearson(average_ranks(x), average_ranks(y));
}

double mean_squared_error(const std::vector<double>& truth, const std::vector<double>& pred) {
  require_same_size(truth.size(), pred.size());
  double sum = 0;
  for (size_t i = 0; i < truth.size(); ++i) sum += (truth[i] - pred[i]) * (truth[i] - pred[i]);
  return sum / truth.size();
}

std::map<std::string, double> score_classification(const std::vector<int>& truth, const std::vector<int>& pred,
                                                   int n_classes) {
  const auto classes = per_class_scores(truth, pred, n_classes);
  std::map<std::string, double> out{{"accuracy", accuracy(truth, pred)}, {"macro_f1", macro_f1(classes)}};
  if (n_classes == 2) {
    out["f1"] = classes[1].f1;
    out["precision"] = classes[1].precision;
    out["recall"] = classes[1].recall;
  }
  return out;
}

std::map<std::string, double> score_regression(const std::vector<float>& truth, const std::vector<float>& pred) {
  const std::vector<double> t(truth.begin(), truth.end()), p(pred.begin(), pred.end());
  return {{"pearson", pearson(t, p)}, {"spearman", spearman(t, p)}, {"mse", mean_squared_error(t, p)}};
}

}  // namespace hecto::tasks
