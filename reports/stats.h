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

}  // namespace hecto::reports
