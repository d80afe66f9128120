#include "pretrain/cls_embedding.h"

#include "common/error.h"

namespace hecto::pretrain {

void empty_cls_embedding(const model::Encoder& encoder, torch::Tensor word_embeddings, int64_t cls_id) {
  const auto state = encoder->hf_state();
  const auto it = state.find("embeddings.position_embeddings.weight");
  if (it == state.end()) throw common::RunError("the encoder has no position embeddings to cancel [CLS] against");
  torch::NoGradGuard no_grad;
  word_embeddings[cls_id].copy_(-it->second[0]);
}

}  // namespace hecto::pretrain
