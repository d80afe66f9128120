#pragma once
// LIBLINEAR (Fan et al., JMLR 2008; Debian's liblinear, the solver behind scikit-learn's
// liblinear logistic regression and linear SVR) on sparse rows: L2-regularised logistic
// regression (one-vs-rest for more than two classes, a bias feature of 1) and ridge regression
// (the L2-loss SVR with epsilon 0 is exactly ridge: min 1/2 |w|^2 + C sum (y - w.x)^2).
#include <memory>
#include <vector>

#include "floors/tfidf.h"

struct model;

namespace hecto::floors {

class LinearModel {
 public:
  // Classes are any ints; rows of any width (feature ids below `features`).
  static LinearModel logistic_regression(const std::vector<SparseVector>& rows, const std::vector<int>& labels,
                                         int32_t features, double C);
  static LinearModel ridge_regression(const std::vector<SparseVector>& rows, const std::vector<double>& targets,
                                      int32_t features, double C);
  double predict(const SparseVector& row) const;  // a class id, or the regression value

 private:
  std::shared_ptr<::model> model_;
};

}  // namespace hecto::floors
