#pragma once
// "Did you mean ...?": the candidate nearest a misspelt word, for error messages.
#include <string>
#include <vector>

namespace hecto::common {

// Levenshtein distance (insert, delete, substitute each cost 1).
int edit_distance(const std::string& a, const std::string& b);

// The candidate with the smallest edit distance to `word`. A dotted candidate also matches on its
// last part (so "epochs" finds "train.epochs"). "" when there are no candidates.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace hecto::common
