#include "reports/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace hecto::reports {

namespace {

// Continued fraction for the regularised incomplete beta function (modified Lentz), as in
// Numerical Recipes' betacf; converges fast for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  const double tiny = 1e-300, eps = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < eps) break;
  }
  return h;
}

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

double variance(const std::vector<double>& v, double mean) {
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size() - 1);
}

}  // namespace

SeedStats summarize(const std::vector<double>& values) {
  SeedStats s;
  s.n = static_cast<int>(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / s.n;
  if (s.n > 1) s.std = std::sqrt(variance(values, s.mean));
  return s;
}

double student_t_two_sided_p(double t, double df) {
  if (!std::isfinite(t)) return 0;
  return regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

Comparison compare_seeds(const std::vector<double>& values, const std::vector<double>& reference) {
  Comparison out;
  if (values.size() < 2 || reference.size() < 2) return out;
  const SeedStats a = summarize(values), b = summarize(reference);
  const double va = *a.std * *a.std / a.n, vb = *b.std * *b.std / b.n;
  const double diff = a.mean - b.mean;
  // Relative tolerance: values that print the same must not count as different.
  const double scale = std::max({std::fabs(a.mean), std::fabs(b.mean), 1e-300});
  if (va + vb <= 1e-24 * scale * scale) {
    const bool same = std::fabs(diff) <= 1e-12 * scale;
    out.p = same ? 1.0 : 0.0;
    out.verdict = same ? Verdict::Within : (diff > 0 ? Verdict::Higher : Verdict::Lower);
    return out;
  }
  const double t = diff / std::sqrt(va + vb);
  // Welch–Satterthwaite degrees of freedom.
  const double df = (va + vb) * (va + vb) / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
  out.p = student_t_two_sided_p(t, df);
  if (*out.p >= kAlpha)
    out.verdict = Verdict::Within;
  else
    out.verdict = diff > 0 ? Verdict::Higher : Verdict::Lower;
  return out;
}

double student_t_critical(double p, double df) {
  double lo = 0, hi = 1e6;  // the tail probability falls as t grows: bisect
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_two_sided_p(mid, df) > p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::optional<Effect> welch_effect(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || b.size() < 2) return std::nullopt;
  const SeedStats x = summarize(a), y = summarize(b);
  const double va = *x.std * *x.std / x.n, vb = *y.std * *y.std / y.n;
  Effect e;
  e.estimate = x.mean - y.mean;
  e.n_a = x.n;
  e.n_b = y.n;
  const double se = std::sqrt(va + vb);
  if (se <= 0) {
    e.low = e.high = e.estimate;
    e.df = x.n + y.n - 2;
    return e;
  }
  e.df = (va + vb) * (va + vb) / (va * va / (x.n - 1) + vb * vb / (y.n - 1));
  const double half = student_t_critical(1 - 0.95, e.df) * se;
  e.low = e.estimate - half;
  e.high = e.estimate + half;
  return e;
}

std::optional<Effect> one_sample_effect(const std::vector<double>& a, double reference) {
  if (a.size() < 2) return std::nullopt;
  const SeedStats x = summarize(a);
  Effect e;
  e.estimate = x.mean - reference;
  e.n_a = x.n;
  e.df = x.n - 1;
  const double half = student_t_critical(1 - 0.95, e.df) * *x.std / std::sqrt(static_cast<double>(x.n));
  e.low = e.estimate - half;
  e.high = e.estimate + half;
  return e;
}

}  // namespace hecto::reports
