#include "train/optimiser.h"

#include <cmath>

#include "train/fused_adamw.h"

namespace hecto::train {

std::vector<ParamGroup> decay_groups(const std::vector<torch::Tensor>& params, double lr, double weight_decay) {
  ParamGroup decay{{}, lr, weight_decay}, no_decay{{}, lr, 0.0};
  for (const auto& p : params) (p.dim() >= 2 ? decay : no_decay).params.push_back(p);
  std::vector<ParamGroup> groups;
  for (auto* g : {&decay, &no_decay})
    if (!g->params.empty()) groups.push_back(std::move(*g));
  return groups;
}

double lr_factor(const OptimiserSettings& s, int64_t step) {
  if (s.warmup_steps > 0 && step < s.warmup_steps)
    return static_cast<double>(step + 1) / static_cast<double>(s.warmup_steps);
  if (s.schedule == experiment::Schedule::Linear && s.total_steps > s.warmup_steps) {
    const double left = static_cast<double>(s.total_steps - step) / static_cast<double>(s.total_steps - s.warmup_steps);
    return std::max(0.0, left);
  }
  return 1.0;
}

Optimiser::Optimiser(std::vector<ParamGroup> groups, OptimiserSettings settings) : settings_(std::move(settings)) {
  auto options = [&](double lr, double wd) {
    return torch::optim::AdamWOptions(lr).betas({settings_.beta1, settings_.beta2}).eps(settings_.eps).weight_decay(wd);
  };
  std::vector<torch::optim::OptimizerParamGroup> torch_groups;
  for (auto& g : groups) {
    base_lr_.push_back(g.lr);
    all_params_.insert(all_params_.end(), g.params.begin(), g.params.end());
    torch_groups.emplace_back(g.params, std::make_unique<torch::optim::AdamWOptions>(options(g.lr, g.weight_decay)));
  }
  const double first_lr = base_lr_.empty() ? 1e-3 : base_lr_.front();
  adamw_ = std::make_unique<torch::optim::AdamW>(std::move(torch_groups), options(first_lr, 0.0));
}

void Optimiser::step(const torch::Tensor& loss) {
  // Gradients are dropped rather than zeroed (PyTorch's set_to_none, its default since 2.0): the
  // backward pass then stores each gradient instead of adding it to a zeroed one, two passes
  // fewer over the word embeddings; and a parameter the step did not reach (an expert no sample
  // chose) gets no update at all instead of a momentum-only one.
  for (auto& p : all_params_) p.mutable_grad() = torch::Tensor();
  loss.backward();
  // Clipping scales the gradients inside the AdamW pass rather than in a pass of its own.
  const double grad_scale = settings_.grad_clip > 0 ? clip_factor(all_params_, settings_.grad_clip) : 1.0;
  const double factor = lr_factor(settings_, step_);
  auto& groups = adamw_->param_groups();
  for (size_t g = 0; g < groups.size(); ++g)
    static_cast<torch::optim::AdamWOptions&>(groups[g].options()).lr(base_lr_[g] * factor);
  fused_adamw_step(*adamw_, grad_scale);
  ++step_;
}

void Optimiser::move_state_to(const torch::Device& device) {
  for (auto& [key, state] : adamw_->state()) {
    auto& s = static_cast<torch::optim::AdamWParamState&>(*state);
    s.exp_avg(s.exp_avg().to(device));
    s.exp_avg_sq(s.exp_avg_sq().to(device));
    if (s.max_exp_avg_sq().defined()) s.max_exp_avg_sq(s.max_exp_avg_sq().to(device));
  }
}

void check_finite(double value, const std::string& where) {
  if (!std::isfinite(value)) throw NonFiniteLoss("non-finite loss (" + std::to_string(value) + ") at " + where);
}

std::mt19937_64 pass_rng(uint64_t seed, uint64_t pass) {
  std::seed_seq seq{seed, pass, uint64_t{0x6865637430}};  // "hecto"
  return std::mt19937_64(seq);
}

}  // namespace hecto::train
