#pragma once
// The [matrix] of an experiment file: reading its axes and include/exclude rows, counting the
// cells before anything is expanded (a matrix of 10^12 cells is refused, not allocated), and
// expanding it into combinations of settings (GitHub Actions' include/exclude rules).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "experiment/experiment.h"

namespace hecto::experiment {

// More cells than any run could finish: a typo (seed = [0, ..., 99999] x ...) rather than a plan.
inline constexpr uint64_t kMaxMatrixCells = 100000;

Matrix read_matrix(const toml::node& n, const std::string& file);
// Axis names exist, exclude rows name axes, variants exist.
void check_matrix(const Experiment& exp);

// A matrix combination: the settings a cell gets from the matrix, and which of them are axis values.
struct Combination {
  Settings settings;
  std::map<std::string, nlohmann::json> original;  // axis key -> value: what include rows match against
};

// The product of the axis sizes plus the include rows, saturating at UINT64_MAX: an upper bound
// of what expand_matrix returns, computed without expanding anything.
uint64_t count_upper_bound(const Matrix& m);
// Throws InputError naming every axis and its size when count_upper_bound exceeds kMaxMatrixCells.
void check_matrix_size(const Matrix& m, const std::string& file);
std::vector<Combination> expand_matrix(const Matrix& m);

}  // namespace hecto::experiment
