#pragma once
// The kinds of Hecto expert, by name. Header-only and torch-free, so the experiment layer (which
// links no torch) checks expert names against the same list the model builds from.
#include <string>

#include "model/named_enum.h"

namespace hecto::model {

enum class ExpertKind { FFNN, GRU, Transformer };

inline const NameTable<ExpertKind>& expert_kind_names() {
  static const NameTable<ExpertKind> names{
      {ExpertKind::FFNN, "ffnn"}, {ExpertKind::GRU, "gru"}, {ExpertKind::Transformer, "transformer"}};
  return names;
}

inline std::string to_string(ExpertKind kind) { return name_in(expert_kind_names(), kind); }

// "ffnn" | "gru" | "transformer"; InputError otherwise.
inline ExpertKind expert_kind_from_string(const std::string& name) {
  return value_named(expert_kind_names(), name, "expert kind");
}

}  // namespace hecto::model
