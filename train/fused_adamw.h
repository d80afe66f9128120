#pragma once
// AdamW's update in one pass over each parameter. LibTorch 1.13's AdamW::step runs seven tensor
// operations per parameter (decay, two per moment, sqrt, divide, add eps, addcdiv), each a full
// pass over memory; for the offline encoder's 11.5M parameters (two thirds of them the word
// embeddings, updated every step) that was 40 ms of a 200 ms fp32 training step on 2 cores.
#include <torch/torch.h>

namespace hecto::train {

// Performs exactly the update adamw.step() performs (same formulas, same order, same state
// tensors, so checkpoints and state_dict stay interchangeable), fused per element for fp32
// CPU parameters. Anything else (CUDA, other dtypes, amsgrad, sparse or strided tensors) goes
// through adamw.step() unchanged. grad_scale multiplies every gradient first (what
// clip_grad_norm_ would do in a pass of its own); the stored gradients are left as they are.
void fused_adamw_step(torch::optim::AdamW& adamw, double grad_scale = 1.0);

// clip_grad_norm_'s factor without the multiplication: min(1, max_norm / (total L2 norm + 1e-6))
// over the gradients of params (those without one are skipped).
double clip_factor(const std::vector<torch::Tensor>& params, double max_norm);

// Whether fused_adamw_step takes its fused path for these groups (the rest of the time it
// falls back to adamw.step()).
bool fused_adamw_applies(const torch::optim::AdamW& adamw);

}  // namespace hecto::train
