#pragma once
// Why did this input go to that expert? Integrated gradients (Sundararajan, Taly and Yan, ICML
// 2017) of the chosen expert's gate logit with respect to the input's word embeddings, walking
// from a baseline of all-zero word embeddings (the [PAD] row's value; positions and the
// embedding LayerNorm still apply) to the input's own. Each token's score is its share of the
// logit's change; completeness says the scores sum to logit(input) - logit(baseline), which the
// result checks (the number of path steps doubles until the sum is within 1%, up to 1,024).
#include <torch/torch.h>

#include <vector>

#include "model/encoder.h"
#include "model/hecto_head.h"

namespace hecto::model {

struct GateAttribution {
  int expert = 0;              // the top-1 expert for the input
  std::vector<double> scores;  // one per token: its contribution to that expert's gate logit
  double logit = 0, baseline_logit = 0;
  int steps = 0;               // path steps used
  double sum() const;
  // |sum of scores - (logit - baseline_logit)| / |logit - baseline_logit|
  double completeness_error() const;
};

// ids / type_ids: one input's token ids [T] (int64). The encoder and head run in eval mode on
// the device their parameters live on; neither is changed.
GateAttribution gate_attribution(Encoder& encoder, HectoHead& head, const torch::Tensor& ids,
                                 const torch::Tensor& type_ids = {}, int initial_steps = 64);

}  // namespace hecto::model
