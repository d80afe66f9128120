#pragma once
// Seed statistics: mean, sample standard deviation, and whether two sets of seeds differ by
// more than their spread (Welch's t-test, which does not assume equal variances or pairing).
#include <optional>
#include <vector>

namespace hecto::reports {

struct SeedStats {
  double mean = 0;
  std::optional<double> std;  // sample standard deviation; none for n < 2
  int n = 0;
};

// Values must be non-empty.
SeedStats summarize(const std::vector<double>& values);

enum class Verdict {
  Untestable,  // fewer than 2 seeds on a side
  Within,      // the difference is within the seed spread (p >= alpha)
  Higher,      // significantly higher than the reference
  Lower,
};

struct Comparison {
  Verdict verdict = Verdict::Untestable;
  std::optional<double> p;  // two-sided p-value of Welch's t-test
};

inline constexpr double kAlpha = 0.05;

// `values` against `reference`: Welch's two-sided t-test at kAlpha. When both sides have zero
// spread the test is undefined; equal means are then Within, different ones Higher/Lower (p 0).
Comparison compare_seeds(const std::vector<double>& values, const std::vector<double>& reference);

// Two-sided tail probability of Student's t with `df` degrees of freedom (df > 0, may be fractional).
double student_t_two_sided_p(double t, double df);
// The t with student_t_two_sided_p(t, df) == p (0 < p < 1): 4.303 for p 0.05 at df 2.
double student_t_critical(double p, double df);

// A difference of means with its 95% confidence interval over seeds.
struct Effect {
  double estimate = 0, low = 0, high = 0;
  double df = 0;
  int n_a = 0, n_b = 0;  // n_b = 0 for a one-sample effect
};
// mean(a) - mean(b), Welch's interval (unequal variances). None with fewer than 2 seeds a side.
std::optional<Effect> welch_effect(const std::vector<double>& a, const std::vector<double>& b);
// mean(a) - reference, Student's interval. None with fewer than 2 seeds.
std::optional<Effect> one_sample_effect(const std::vector<double>& a, double reference);

}  // namespace hecto::reports
