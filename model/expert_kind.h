#pragma once
// The kinds of Hecto expert, by name. Header-only and torch-free, so the experiment layer (which
// links no torch) checks expert names against the same list the model builds from.
#include <string>
#include <vector>

#include "common/error.h"

namespace hecto::model {

enum class ExpertKind { FFNN, GRU, Transformer };

inline const std::vector<std::pair<ExpertKind, std::string>>& expert_kind_names() {
  static const std::vector<std::pair<ExpertKind, std::string>> names{
      {ExpertKind::FFNN, "ffnn"}, {ExpertKind::GRU, "gru"}, {ExpertKind::Transformer, "transformer"}};
  return names;
}

inline std::string to_string(ExpertKind kind) {
  for (const auto& [k, name] : expert_kind_names())
    if (k == kind) return name;
  return "?";
}

// "ffnn" | "gru"; InputError otherwise.
inline ExpertKind expert_kind_from_string(const std::string& name) {
  std::string expected;
  for (const auto& [k, n] : expert_kind_names()) {
    if (n == name) return k;
    expected += (expected.empty() ? "\"" : " or \"") + n + "\"";
  }
  throw common::InputError({}, "unknown expert kind '" + name + "'", expected);
}

}  // namespace hecto::model
