#pragma once
// The kinds of Hecto expert, by name. Torch-free so config checking (and its fuzzer) needs no torch.
#include <string>

namespace hecto::model {

enum class ExpertKind { FFNN, GRU };
std::string to_string(ExpertKind kind);
ExpertKind expert_kind_from_string(const std::string& name);  // "ffnn" | "gru"; InputError otherwise

}  // namespace hecto::model
