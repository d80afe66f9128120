#pragma once
// Turning unpadded encodings into padded tensors. Batches are padded to their own longest
// sequence (dynamic padding), or to pad_to when given (the naive baseline).
#include <torch/torch.h>

#include <vector>

#include "text/tokenizer.h"

namespace hecto::model {

struct TokenBatch {
  torch::Tensor ids;       // [B,T] int64
  torch::Tensor mask;      // [B,T] int64, 1 = token
  torch::Tensor type_ids;  // [B,T] int64
};

TokenBatch pad_batch(const std::vector<const text::Encoding*>& encodings, int32_t pad_id, int pad_to = 0);

}  // namespace hecto::model
