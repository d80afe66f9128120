#include "model/expert_kind.h"

#include "common/error.h"

namespace hecto::model {

std::string to_string(ExpertKind kind) {
  switch (kind) {
    case ExpertKind::FFNN: return "ffnn";
    case ExpertKind::GRU: return "gru";
  }
  return "?";
}

ExpertKind expert_kind_from_string(const std::string& name) {
  if (name == "ffnn") return ExpertKind::FFNN;
  if (name == "gru") return ExpertKind::GRU;
  throw common::InputError({}, "unknown expert kind '" + name + "'", "\"ffnn\" or \"gru\"");
}

}  // namespace hecto::model
