#pragma once
// An "empty" [CLS]: its word embedding is set to minus position 0's embedding, so [CLS] enters the
// first layer as the zero vector (the embedding LayerNorm of 0 is its bias, 0 at init). Its query,
// key and value are then the layer's biases (0 at init): the first layer's attention from [CLS] is
// uniform over the input's tokens, and [CLS] leaves it as a random projection of their mean.
//
// Why: with BERT's random [CLS] embedding and layers that never trained, the residual path carries
// that one constant vector through every layer, so [CLS] is nearly the same for every input
// (per-dimension spread 0.04 against a norm of 16) and a gate that reads it routes on noise.
#include <torch/torch.h>

#include <cstdint>

#include "model/encoder.h"

namespace hecto::pretrain {

// Overwrites row cls_id of `word_embeddings` (the encoder's own parameter) in place.
void empty_cls_embedding(const model::Encoder& encoder, torch::Tensor word_embeddings, int64_t cls_id);

}  // namespace hecto::pretrain
