#include "bench/bench_head.h"

namespace hecto::bench {

model::HectoHead agnews_head(int input_dim, bool sparse) {
  model::HectoConfig c;
  c.input_dim = input_dim;
  c.n_outputs = 4;
  c.sparse_dispatch = sparse;
  return model::HectoHead(c);
}

double balance_gate(model::HectoHead& head, const std::vector<std::pair<torch::Tensor, torch::Tensor>>& inputs) {
  torch::NoGradGuard no_grad;
  const bool training = head->is_training();
  head->eval();
  auto log_odds = [&] {
    std::vector<torch::Tensor> parts;
    for (const auto& [hidden, mask] : inputs) {
      auto p = head->forward(hidden, mask).gate_probs;
      parts.push_back(p.select(1, 1).log() - p.select(1, 0).log());
    }
    return torch::cat(parts);
  };
  auto bias = head->named_parameters()["gate.out.bias"];
  bias[1].sub_(log_odds().median() * head->config().temperature);
  const double share = (log_odds() > 0).to(torch::kFloat64).mean().item<double>();
  head->train(training);
  return share;
}

}  // namespace hecto::bench
