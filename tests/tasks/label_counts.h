#pragma once
// How many examples of each label a set of rows holds: what the sampling tests compare.
#include <map>
#include <vector>

#include "tasks/task.h"

namespace hecto::testing {

inline std::map<int, int> label_counts(const std::vector<tasks::Example>& rows) {
  std::map<int, int> counts;
  for (const auto& r : rows) ++counts[r.label];
  return counts;
}

inline std::map<int, int> label_counts(const tasks::Split& split) { return label_counts(split.examples); }

}  // namespace hecto::testing
