#pragma once
// Frozen-encoder feature cache. A frozen encoder gives every cell, seed, batch size and variant
// the same outputs for the same (weights, tokens), so they are computed once and kept on disk:
// every token's vector (the GRU expert reads the whole sequence), no padding, fp16. In memory
// a zero row follows the last token, so a padded batch is one index_select on any device.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "model/encoder.h"
#include "runtime/precision.h"
#include "text/tokenizer.h"

namespace hecto::train {

struct FeatureSet {
  torch::Tensor features;  // [total_tokens + 1, dim] fp16, examples back to back, then a zero row
  torch::Tensor offsets;   // [n + 1] int64 on the CPU: example i is rows offsets[i] .. offsets[i+1]
  bool cache_hit = false;
  double encode_seconds = 0;  // time spent computing (0 on a cache hit)
  int64_t size() const { return offsets.numel() - 1; }
  int64_t dim() const { return features.size(1); }
  int64_t pad_row() const { return features.size(0) - 1; }
  // The same set with its features on `device` (frozen features stay there for the whole cell).
  FeatureSet to(const torch::Device& device) const;
};

// Examples' token vectors [total_tokens, dim] with the zero pad row appended.
FeatureSet make_feature_set(torch::Tensor token_features, std::vector<int64_t> offsets);

struct PaddedFeatures {
  torch::Tensor hidden;  // [B,T,dim] fp32, zero at padding, on the features' device
  torch::Tensor mask;    // [B,T] int64, same device
};

// Gathers examples into a batch padded to its longest member (or to pad_to when > 0).
PaddedFeatures gather_features(const FeatureSet& set, const std::vector<int64_t>& indices, int pad_to = 0);

// Runs the encoder over the encodings (length-sorted batches, so little padding is computed)
// and returns every token's output. No caching.
// The encoder runs on exec's device with its numerics; the features come back on the CPU.
FeatureSet encode_features(model::Encoder& encoder, const std::vector<text::Encoding>& encodings, int32_t pad_id,
                           int batch_size, const runtime::Execution& exec);

// The cached form: key = sha256(encoder identity, numerics, the token ids). cache_dir empty = no cache.
FeatureSet cached_features(model::Encoder& encoder, const std::string& encoder_identity,
                           const std::vector<text::Encoding>& encodings, int32_t pad_id, const std::string& cache_dir,
                           const runtime::Execution& exec, int batch_size = 64);

}  // namespace hecto::train
