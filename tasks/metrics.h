#pragma once
// The metrics, implemented once. Conventions follow scikit-learn / SciPy:
//  - per-class precision, recall, F1 with 0 where a ratio is 0/0 (sklearn zero_division=0);
//  - macro-F1 averages over the classes present in the truth or the predictions (a class absent
//    from both is left out, as sklearn's f1_score(average="macro") does without `labels=`);
//  - "f1" of a binary task is the F1 of class 1 (sklearn's pos_label=1);
//  - Pearson is NaN when either side is constant; Spearman is Pearson of the ranks, ties getting
//    their average rank (scipy.stats.spearmanr); MSE is the mean squared difference.
#include <cstdint>
#include <vector>

namespace hecto::tasks {

struct ClassScores {
  int label = 0;
  int64_t support = 0;    // true rows of this class
  int64_t predicted = 0;  // rows predicted as this class
  double precision = 0, recall = 0, f1 = 0;
};

// One entry per class 0..n_classes-1 (labels outside that range are a RunError).
std::vector<ClassScores> per_class_scores(const std::vector<int>& truth, const std::vector<int>& pred, int n_classes);
double accuracy(const std::vector<int>& truth, const std::vector<int>& pred);
double macro_f1(const std::vector<ClassScores>& classes);

double pearson(const std::vector<double>& x, const std::vector<double>& y);
double spearman(const std::vector<double>& x, const std::vector<double>& y);
double mean_squared_error(const std::vector<double>& truth, const std::vector<double>& pred);
// 1-based ranks, ties sharing the mean of the ranks they span.
std::vector<double> average_ranks(const std::vector<double>& values);

}  // namespace hecto::tasks
