#include "model/attribution.h"

#include <cmath>
#include <numeric>

namespace hecto::model {

namespace {

// Gate logits of `expert` at each point of the path [m, T, dim], and their gradients.
struct PathValues {
  torch::Tensor logits;  // [m]
  torch::Tensor grads;   // [m, T, dim]
};

PathValues along(Encoder& encoder, HectoHead& head, const torch::Tensor& points, const torch::Tensor& mask,
                 const torch::Tensor& type_ids, int expert) {
  auto x = points.detach().requires_grad_(true);
  const auto hidden = encoder->forward_embedded(x, mask, type_ids);
  const auto logits = head->forward(hidden, mask, type_ids).gate_logits.select(1, expert);
  const auto grads = torch::autograd::grad({logits.sum()}, {x})[0];
  return {logits.detach(), grads};
}

GateAttribution integrate(Encoder& encoder, HectoHead& head, const torch::Tensor& input, const torch::Tensor& mask1,
                          const torch::Tensor& types1, int expert, int steps) {
  const auto baseline = torch::zeros_like(input);  // [1, T, dim]
  const auto alphas =
      (torch::arange(steps, input.options()) + 0.5) / static_cast<double>(steps);  // midpoints of [0, 1]
  const auto points = baseline + alphas.view({steps, 1, 1}) * (input - baseline);
  const auto mask = mask1.expand({steps, mask1.size(1)});
  const auto types = types1.defined() ? types1.expand({steps, types1.size(1)}) : torch::Tensor();
  const auto path = along(encoder, head, points, mask, types, expert);
  const auto ends = along(encoder, head, torch::cat({input, baseline}), mask1.expand({2, mask1.size(1)}),
                          types1.defined() ? types1.expand({2, types1.size(1)}) : torch::Tensor(), expert);
  const auto scores = ((input - baseline).squeeze(0) * path.grads.mean(0)).sum(1).to(torch::kFloat64).cpu();
  GateAttribution a;
  a.expert = expert;
  a.steps = steps;
  a.scores.assign(scores.data_ptr<double>(), scores.data_ptr<double>() + scores.numel());
  const auto end_values = ends.logits.to(torch::kFloat64).cpu();
  a.logit = end_values[0].item<double>();
  a.baseline_logit = end_values[1].item<double>();
  return a;
}

}  // namespace

double GateAttribution::sum() const { return std::accumulate(scores.begin(), scores.end(), 0.0); }

double GateAttribution::completeness_error() const {
  const double delta = logit - baseline_logit;
  return std::fabs(sum() - delta) / std::max(std::fabs(delta), 1e-12);
}

GateAttribution gate_attribution(Encoder& encoder, HectoHead& head, const torch::Tensor& ids,
                                 const torch::Tensor& type_ids, int initial_steps) {
  const bool encoder_training = encoder->is_training(), head_training = head->is_training();
  encoder->eval();
  head->eval();
  const auto device = encoder->parameters().front().device();
  const auto ids1 = ids.to(device, torch::kLong).view({1, -1});
  const auto mask1 = torch::ones_like(ids1);
  const auto types1 = type_ids.defined() ? type_ids.to(device, torch::kLong).view({1, -1}) : torch::Tensor();
  torch::Tensor input;
  int expert = 0;
  {
    torch::NoGradGuard no_grad;
    input = encoder->word_embeddings(ids1);
    expert = static_cast<int>(
        head->forward(encoder->forward_embedded(input, mask1, types1), mask1, types1).chosen()[0].item<int64_t>());
  }
  GateAttribution a;
  for (int steps = initial_steps; steps <= 1024; steps *= 2) {
    a = integrate(encoder, head, input, mask1, types1, expert, steps);
    if (a.completeness_error() <= 0.01) break;
  }
  encoder->train(encoder_training);
  head->train(head_training);
  return a;
}

}  // namespace hecto::model
