#pragma once
// The Hecto head (Pandey et al., arXiv 2506.22919): two projections of the encoder output, a
// gate on the [CLS] view, and heterogeneous experts, with sparse Top-k routing.
//
//   cls_view = proj_cls(h[:,0])            768 -> 256   feeds the gate and FFNN experts
//              (model/pooling.h: or of the mean of the valid tokens, or of a sentence pair's
//              [|u - v|, u * v], then 2 x 768 -> 256)
//   seq_view = proj_seq(h)                 768 -> 256   feeds GRU experts (whole sequence)
//   p        = softmax(gate(cls_view) / T) gate: 256 -> 128 -> ReLU -> n_experts, T = 1.5
//   FFNN expert: 256 -> 128 -> Tanh -> C          (on cls_view)
//   GRU expert:  GRU(256 -> 128) over the unpadded tokens, last valid state -> C
//   Transformer expert (not the paper's; model.experts = ["ffnn", "transformer"]): one pre-LN
//                encoder block over the projected tokens (heads of 64, FFN 4x), mean-pooled -> C
//
// Top-1 routing: inference uses argmax(p); training uses a straight-through estimator: the
// forward pass uses the hard one-hot choice, the backward pass the soft p through the chosen
// experts only (w = m * (r.detach() + p - p.detach()), m marking the chosen experts, r = p
// renormalised over them: one-hot for Top-1), so the gate learns from the chosen expert's loss
// and sparse and dense dispatch give the same gradients.
// Top-2: the two highest-p experts, weights renormalised to sum to 1.
// Sparse dispatch: each expert runs only on the samples routed to it.
//
// Loss (hecto_loss):
//   L = task + lambda_ent * H_sample + lambda_div * D_batch
//   task      = cross-entropy (classification) or MSE (regression, one output)
//   H_sample  = mean_i( -sum_e p_ie log p_ie )           (nats; low = confident gates)
//   D_batch   = KL(pbar || uniform) = sum_e pbar_e log(pbar_e * E),  pbar = mean_i p_i
//               (zero when the batch uses experts evenly)
// Defaults lambda_ent = 0.05, lambda_div = 0.08; both may be 0 (the no-regularisation ablation).
#include <torch/torch.h>

#include <string>
#include <vector>

#include "model/expert_kind.h"
#include "model/pooling.h"

namespace hecto::model {

struct HectoConfig {
  int input_dim = 768;
  int proj_dim = 256;
  int gate_hidden = 128;
  int expert_hidden = 128;
  int n_outputs = 4;  // classes; 1 for regression
  bool regression = false;
  std::vector<ExpertKind> experts{ExpertKind::FFNN, ExpertKind::GRU};
  int top_k = 1;
  double temperature = 1.5;
  double lambda_ent = 0.05;
  double lambda_div = 0.08;
  bool sparse_dispatch = true;  // false: every expert runs on every sample (for benchmarks)
  Pooling pooling = Pooling::Cls;  // the view the gate and FFNN experts read (model/pooling.h)
};

struct HectoOutput {
  torch::Tensor logits;                                       // [B,C] (classification) or [B] (regression)
  torch::Tensor gate_probs;                                   // [B,E] softmax(gate / T)
  torch::Tensor topk;                                         // [B,k] int64 chosen experts, best first
  torch::Tensor weights;                                      // [B,E] combination weights used in the forward pass
  torch::Tensor gate_logits;  // [B,E] the gate before temperature and softmax
  torch::Tensor chosen() const { return topk.select(1, 0); }  // [B] top-1 expert
};

class HectoHeadImpl : public torch::nn::Module {
 public:
  explicit HectoHeadImpl(HectoConfig config);
  // hidden [B,T,input_dim] encoder output (fp32), mask [B,T] (1 = token), segments [B,T] (each
  // token's sentence: needed by the pair view only). Straight-through routing when is_training(),
  // argmax routing otherwise.
  HectoOutput forward(const torch::Tensor& hidden, const torch::Tensor& mask, const torch::Tensor& segments = {});
  const HectoConfig& config() const { return config_; }

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  HectoConfig config_;
};
TORCH_MODULE(HectoHead);

struct LossParts {
  torch::Tensor total, task, entropy, diversity;  // scalars
};
// targets: int64 class ids [B], or float scores [B] for regression.
LossParts hecto_loss(const HectoOutput& out, const torch::Tensor& targets, const HectoConfig& config);

// Gate entropy in bits of each sample's gate distribution, averaged: the paper's routing measure.
double mean_gate_entropy_bits(const torch::Tensor& gate_probs);

}  // namespace hecto::model
