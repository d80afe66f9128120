#include "train/fused_adamw.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

#include "train/adamw_kernel.h"

namespace hecto::train {

namespace {

bool fusable(const torch::Tensor& p) {
  if (!p.grad().defined()) return true;  // skipped, as AdamW skips it
  const auto& g = p.grad();
  return p.device().is_cpu() && p.scalar_type() == torch::kFloat && p.is_contiguous() && !g.is_sparse() &&
         g.scalar_type() == torch::kFloat && g.is_contiguous();
}

void update(float* p, const float* g, float* m, float* v, int64_t n, const AdamWCoefficients& k) {
  // Memory-bound: a grain of 32k floats keeps both threads streaming without splitting biases.
  at::parallel_for(0, n, 32768, [&](int64_t begin, int64_t end) { adamw_update(p, g, m, v, begin, end, k); });
}

}  // namespace

bool fused_adamw_applies(const torch::optim::AdamW& adamw) {
  for (const auto& group : adamw.param_groups()) {
    if (static_cast<const torch::optim::AdamWOptions&>(group.options()).amsgrad()) return false;
    for (const auto& p : group.params()) {
      if (!fusable(p)) return false;
      // Moments loaded from a checkpoint must be laid out as the parameter is.
      auto found = adamw.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (found == adamw.state().end()) continue;
      const auto& s = static_cast<const torch::optim::AdamWParamState&>(*found->second);
      for (const auto* moment : {&s.exp_avg(), &s.exp_avg_sq()})
        if (!moment->defined() || moment->scalar_type() != torch::kFloat || !moment->is_contiguous() ||
            moment->device() != p.device())
          return false;
    }
  }
  return true;
}

double clip_factor(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> norms;
  for (const auto& p : params)
    if (p.grad().defined()) norms.push_back(p.grad().norm());
  if (norms.empty()) return 1.0;
  const double total = torch::stack(norms).norm().item<double>();
  return std::min(1.0, max_norm / (total + 1e-6));
}

void fused_adamw_step(torch::optim::AdamW& adamw, double grad_scale) {
  torch::NoGradGuard no_grad;
  if (!fused_adamw_applies(adamw)) {
    if (grad_scale != 1.0)
      for (auto& group : adamw.param_groups())
        for (auto& p : group.params())
          if (p.grad().defined()) p.mutable_grad().mul_(grad_scale);
    adamw.step();
    return;
  }
  auto& states = adamw.state();
  for (auto& group : adamw.param_groups()) {
    const auto& o = static_cast<const torch::optim::AdamWOptions&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      // The same key and initial state AdamW::step creates, so either can continue the other.
      const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
      auto found = states.find(key);
      if (found == states.end()) {
        auto fresh = std::make_unique<torch::optim::AdamWParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        found = states.emplace(key, std::move(fresh)).first;
      }
      auto& state = static_cast<torch::optim::AdamWParamState&>(*found->second);
      state.step(state.step() + 1);
      const auto [beta1, beta2] = o.betas();
      const double bias1 = 1 - std::pow(beta1, state.step());
      const double bias2 = 1 - std::pow(beta2, state.step());
      const AdamWCoefficients k{static_cast<float>(1 - o.lr() * o.weight_decay()),
                                static_cast<float>(beta1),
                                static_cast<float>(1 - beta1),
                                static_cast<float>(beta2),
                                static_cast<float>(1 - beta2),
                                static_cast<float>(std::sqrt(bias2)),
                                static_cast<float>(o.eps()),
                                static_cast<float>(-o.lr() / bias1),
                                static_cast<float>(grad_scale)};
      update(p.data_ptr<float>(), p.grad().data_ptr<float>(), state.exp_avg().data_ptr<float>(),
             state.exp_avg_sq().data_ptr<float>(), p.numel(), k);
    }
  }
}

}  // namespace hecto::train
