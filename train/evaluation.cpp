#include "train/evaluation.h"

#include <algorithm>
#include <chrono>
#include <numeric>

namespace hecto::train {

namespace {

// Evaluation order does not change any metric, padding does: shortest first.
std::vector<int64_t> length_sorted(const tasks::TokenizedSplit& tokens, int64_t n) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return tokens.encodings[a].ids.size() < tokens.encodings[b].ids.size();
  });
  return order;
}

struct Predictions {
  std::vector<int> chosen, classes;
  std::vector<float> scores;
  torch::Tensor gates;
};

// In `order`, back in example order on the host.
Predictions predict(const BatchSource& source, model::HectoHead& head, const std::vector<int64_t>& order,
                    int batch_size, bool regression) {
  std::vector<torch::Tensor> chosen, outputs, gates;
  const int64_t n = static_cast<int64_t>(order.size());
  for (int64_t s = 0; s < n; s += batch_size) {
    const std::vector<int64_t> idx(order.begin() + s, order.begin() + std::min<int64_t>(n, s + batch_size));
    const auto batch = source.batch(idx);
    const auto out = head->forward(batch.hidden, batch.mask, batch.segments);
    gates.push_back(out.gate_probs);
    chosen.push_back(out.chosen());
    outputs.push_back(regression ? out.logits.clamp(0.0, 1.0) * 5.0 : out.logits.argmax(1));
  }
  const auto chosen_host = torch::cat(chosen).to(torch::kCPU, torch::kInt64).contiguous();
  const auto out_host = torch::cat(outputs).to(torch::kCPU, regression ? torch::kFloat32 : torch::kInt64).contiguous();
  Predictions p;
  p.chosen.assign(static_cast<size_t>(n), 0);
  if (regression)
    p.scores.resize(static_cast<size_t>(n));
  else
    p.classes.resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    p.chosen[order[k]] = static_cast<int>(chosen_host.data_ptr<int64_t>()[k]);
    if (regression)
      p.scores[order[k]] = out_host.data_ptr<float>()[k];
    else
      p.classes[order[k]] = static_cast<int>(out_host.data_ptr<int64_t>()[k]);
  }
  p.gates = torch::cat(gates).cpu();
  return p;
}

}  // namespace

Evaluation evaluate(const BatchSource& source, model::HectoHead& head, const tasks::TaskInfo& info, int batch_size,
                    int64_t limit) {
  const auto start = std::chrono::steady_clock::now();
  const auto& tokens = source.tokens();
  const int64_t n =
      limit > 0 ? std::min<int64_t>(limit, static_cast<int64_t>(tokens.size())) : static_cast<int64_t>(tokens.size());
  const bool regression = head->config().regression;
  const bool encoder_was_training = source.encoder()->is_training();
  source.encoder()->eval();
  head->eval();
  Predictions p;
  {
    torch::InferenceMode guard;
    p = predict(source, head, length_sorted(tokens, n), batch_size, regression);
  }
  if (encoder_was_training) source.encoder()->train();
  head->train();

  Evaluation ev;
  ev.examples = n;
  if (regression) {
    const std::vector<float> truth(tokens.scores.begin(), tokens.scores.begin() + n);
    ev.metrics = tasks::score_regression(truth, p.scores);
  } else {
    const std::vector<int> truth(tokens.labels.begin(), tokens.labels.begin() + n);
    ev.metrics = tasks::score_classification(truth, p.classes, info.n_classes);
  }
  ev.gate_entropy_bits = model::mean_gate_entropy_bits(p.gates);
  const auto& experts = head->config().experts;
  ev.expert_share.assign(experts.size(), 0.0);
  std::map<std::pair<int, int>, int64_t> counts;
  for (int64_t i = 0; i < n; ++i) {
    ev.expert_share[p.chosen[i]] += 1.0 / static_cast<double>(n);
    counts[{regression ? -1 : tokens.labels[i], p.chosen[i]}]++;
  }
  for (const auto& [key, count] : counts)
    ev.routing.push_back({"eval", key.first, key.second, model::to_string(experts[key.second]), count});
  ev.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return ev;
}

}  // namespace hecto::train
