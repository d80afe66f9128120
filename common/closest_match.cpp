#include "common/closest_match.h"

#include <algorithm>
#include <climits>

namespace hecto::common {

int edit_distance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  int best_score = INT_MAX;
  for (const auto& c : candidates) {
    int score = edit_distance(word, c);
    // A forgotten section ("epochs" for "train.epochs") is a near miss, not six edits away.
    const auto dot = c.rfind('.');
    if (dot != std::string::npos) score = std::min(score, edit_distance(word, c.substr(dot + 1)) + 1);
    if (score < best_score) {
      best_score = score;
      best = c;
    }
  }
  return best;
}

}  // namespace hecto::common
