#pragma once
// The optimisation piece every training loop shares (a cell's fine-tuning, the encoder's
// pretraining): AdamW over parameter groups, the learning-rate schedule, gradient clipping,
// the non-finite-loss check, and the seeded example order.
#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/modes.h"

namespace hecto::train {

// A NaN or infinite loss: the run fails with the step where it happened.
struct NonFiniteLoss : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ParamGroup {
  std::vector<torch::Tensor> params;
  double lr = 1e-3;
  double weight_decay = 0.0;
};

// BERT's rule: weight decay on matrices only, not on biases or LayerNorm scales. Returns the
// decayed group first, then the undecayed one (empty groups are dropped).
std::vector<ParamGroup> decay_groups(const std::vector<torch::Tensor>& params, double lr, double weight_decay);

struct OptimiserSettings {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  int64_t warmup_steps = 0;
  int64_t total_steps = 0;  // where the linear schedule reaches 0 (0: no decay)
  experiment::Schedule schedule = experiment::Schedule::Constant;
  double grad_clip = 0.0;  // max global gradient norm (0: off)
};

// The factor on each group's base lr at a 0-based step: linear warm-up over warmup_steps, then
// linear decay to 0 at total_steps (Linear with total_steps > warmup_steps) or constant.
double lr_factor(const OptimiserSettings& settings, int64_t step);

class Optimiser {
 public:
  Optimiser(std::vector<ParamGroup> groups, OptimiserSettings settings);

  // One update from a scalar loss: backward, clip, this step's learning rates, AdamW step.
  // The caller checks the loss first (check_finite) where it reads it anyway.
  void step(const torch::Tensor& loss);
  int64_t steps_done() const { return step_; }
  // Moves AdamW's moments to the parameters' device (after loading a checkpoint on the host).
  void move_state_to(const torch::Device& device);
  void set_steps_done(int64_t step) { step_ = step; }  // resuming from a checkpoint
  torch::optim::AdamW& adamw() { return *adamw_; }
  const OptimiserSettings& settings() const { return settings_; }

 private:
  OptimiserSettings settings_;
  std::vector<double> base_lr_;
  std::vector<torch::Tensor> all_params_;
  std::unique_ptr<torch::optim::AdamW> adamw_;
  int64_t step_ = 0;
};

// Throws NonFiniteLoss("non-finite loss (nan) at <where>") when value is NaN or infinite.
void check_finite(double value, const std::string& where);

// The generator of one pass over the data: a pure function of (seed, pass), so a resumed run
// visits exactly the batches an uninterrupted one would.
std::mt19937_64 pass_rng(uint64_t seed, uint64_t pass);

}  // namespace hecto::train
