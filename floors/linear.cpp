#include "floors/linear.h"

#include <linear.h>

#include <stdexcept>
#include <string>

#include "common/error.h"

namespace hecto::floors {

namespace {

void quiet(const char*) {}

// LIBLINEAR's layout: 1-based indices, a bias feature after the last one, -1 terminating each row.
struct Problem {
  std::vector<std::vector<feature_node>> nodes;
  std::vector<feature_node*> rows;
  std::vector<double> y;
  problem p{};

  Problem(const std::vector<SparseVector>& x, std::vector<double> targets, int32_t features) : y(std::move(targets)) {
    nodes.reserve(x.size());
    for (const auto& row : x) {
      std::vector<feature_node> r;
      r.reserve(row.size() + 2);
      for (const auto& [index, value] : row) r.push_back({index + 1, value});
      r.push_back({features + 1, 1.0});  // bias
      r.push_back({-1, 0.0});
      nodes.push_back(std::move(r));
    }
    for (auto& r : nodes) rows.push_back(r.data());
    p.l = static_cast<int>(x.size());
    p.n = features + 1;
    p.y = y.data();
    p.x = rows.data();
    p.bias = 1.0;
  }
};

std::shared_ptr<::model> fit(Problem& problem, int solver, double C, double eps) {
  set_print_string_function(quiet);
  parameter param{};
  param.solver_type = solver;
  param.C = C;
  param.eps = eps;
  param.p = 0.0;
  if (const char* error = check_parameter(&problem.p, &param))
    throw common::RunError(std::string("LIBLINEAR refused the problem: ") + error);
  return std::shared_ptr<::model>(train(&problem.p, &param), [](::model* m) { free_and_destroy_model(&m); });
}

}  // namespace

LinearModel LinearModel::logistic_regression(const std::vector<SparseVector>& rows, const std::vector<int>& labels,
                                             int32_t features, double C) {
  Problem problem(rows, std::vector<double>(labels.begin(), labels.end()), features);
  LinearModel m;
  m.model_ = fit(problem, L2R_LR, C, 1e-4);  // scikit-learn's tol for the liblinear solver
  return m;
}

LinearModel LinearModel::ridge_regression(const std::vector<SparseVector>& rows, const std::vector<double>& targets,
                                          int32_t features, double C) {
  Problem problem(rows, targets, features);
  LinearModel m;
  m.model_ = fit(problem, L2R_L2LOSS_SVR, C, 1e-4);
  return m;
}

double LinearModel::predict(const SparseVector& row) const {
  std::vector<feature_node> x;
  x.reserve(row.size() + 2);
  for (const auto& [index, value] : row) x.push_back({index + 1, value});
  x.push_back({model_->nr_feature + 1, 1.0});
  x.push_back({-1, 0.0});
  return ::predict(model_.get(), x.data());
}

}  // namespace hecto::floors
