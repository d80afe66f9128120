#pragma once
// Routing set-up shared by the benchmarks that time the Hecto head.
#include <torch/torch.h>

#include <utility>
#include <vector>

#include "model/hecto_head.h"

namespace hecto::bench {

// The default Hecto head (FFNN + GRU, the paper's sizes) on input_dim-wide encoder outputs with
// AG News' 4 classes; sparse = false runs every expert on every sample.
model::HectoHead agnews_head(int input_dim, bool sparse = true);

// An untrained gate sends nearly every sample to one expert, which would time a head that never
// runs its GRU. This shifts the GRU expert's (index 1) gate bias by the median log-odds over the
// given (hidden, mask) batches, so half the samples go to each expert, and returns the share
// that goes to the GRU. Leaves the head in the mode it found it in.
double balance_gate(model::HectoHead& head, const std::vector<std::pair<torch::Tensor, torch::Tensor>>& inputs);

}  // namespace hecto::bench
