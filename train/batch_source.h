#pragma once
// Where a batch of encoder outputs comes from: cached frozen features, or the live encoder
// (fine-tuned cells, and frozen cells in the naive no-cache baseline). Either way the batch
// arrives on the cell's device, the encoder having run with the cell's numerics.
#include <torch/torch.h>

#include <vector>

#include "model/encoder.h"
#include "runtime/precision.h"
#include "tasks/token_cache.h"
#include "train/feature_cache.h"

namespace hecto::train {

struct EncodedBatch {
  torch::Tensor hidden;  // [B,T,dim] fp32
  torch::Tensor mask;    // [B,T] int64, 1 = token
  torch::Tensor segments;  // [B,T] int64, each token's sentence (0 or 1; all 0 for one sentence)
};

class BatchSource {
 public:
  // features: non-null to read cached features (already on the device); pad_to > 0 pads every
  // batch to that length (the naive baseline).
  BatchSource(model::Encoder encoder, const tasks::TokenizedSplit& tokens, const FeatureSet* features, int32_t pad_id,
              int pad_to, const runtime::Execution& exec);

  EncodedBatch batch(const std::vector<int64_t>& indices) const;
  // Class ids [B] int64, or scores on [0, 1] [B] fp32 for regression (STS-B's 0-5 scaled), on the device.
  torch::Tensor targets(const std::vector<int64_t>& indices, bool regression) const;
  const tasks::TokenizedSplit& tokens() const { return tokens_; }
  model::Encoder& encoder() const { return encoder_; }

 private:
  torch::Tensor to_device(const torch::Tensor& host) const;
  // [B,T] the examples' type ids, zero past each one's end: what the cached features lack.
  torch::Tensor segments(const std::vector<int64_t>& indices, int64_t tokens) const;

  mutable model::Encoder encoder_;  // a module holder: calling it is not const
  const tasks::TokenizedSplit& tokens_;
  const FeatureSet* features_;
  int32_t pad_id_;
  int pad_to_;
  const runtime::Execution& exec_;
};

}  // namespace hecto::train
