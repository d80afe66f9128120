#pragma once
// Dropout whose masks come from a counter-based generator (Random123's Philox4x32-10), drawn in
// parallel. LibTorch 1.13 draws CPU dropout masks one element at a time from a single mt19937
// (bernoulli_), about 1 ms per [16, 50, 256] mask: 12 ms of a 150 ms fine-tuning step of the
// offline encoder. Same formula as torch::dropout (x * keep / (1 - p)); different random stream.
#include <torch/torch.h>

namespace hecto::model {

// torch::dropout(x, p, train) in value and gradient for p in [0, 1), with the mask drawn from
// Philox keyed by one draw from torch's default CPU generator (so torch::manual_seed fixes it,
// independent of the thread count). Non-CPU tensors go through torch::dropout.
torch::Tensor dropout(const torch::Tensor& x, double p, bool train);

}  // namespace hecto::model
