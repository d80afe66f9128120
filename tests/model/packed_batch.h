#pragma once
// A batch shaped like packed pretraining data, for the tests of the corruptions (masked LM,
// replaced tokens): [CLS] words [SEP] words, then padding at the end of every row, so special
// tokens and padding are plentiful enough to be tested.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cstdint>

namespace hecto::testing {

inline constexpr int64_t kVocab = 1000, kPad = 0, kCls = 1, kSep = 2, kMask = 3;

struct PackedBatch {
  torch::Tensor ids;      // [rows, len] int64; words are ids 10..kVocab-1
  torch::Tensor special;  // [CLS], [SEP] and padding
};

inline PackedBatch make_packed_batch(int64_t rows, int64_t len, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto ids = torch::randint(10, kVocab, {rows, len}, gen, torch::TensorOptions().dtype(torch::kLong));
  ids.index_put_({torch::indexing::Slice(), 0}, kCls);
  ids.index_put_({torch::indexing::Slice(), len / 2}, kSep);
  ids.index_put_({torch::indexing::Slice(), torch::indexing::Slice(len - len / 4, torch::indexing::None)}, kPad);
  return {ids, (ids == kCls).logical_or(ids == kSep).logical_or(ids == kPad)};
}

}  // namespace hecto::testing
