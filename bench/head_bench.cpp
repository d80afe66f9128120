// The Hecto head alone (FFNN + GRU experts, 768 -> 256 projections, 4 classes: AG News) on
// random encoder outputs whose lengths follow AG News test (max_len 128, dynamic padding):
//   head_forward:    inference (eval, InferenceMode), argmax routing;
//   head_train_step: forward + hecto_loss + backward + grad clip + AdamW step, straight-through;
// each with sparse dispatch (an expert runs only on the samples routed to it) and dense (every
// expert on every sample, HectoConfig::sparse_dispatch = false). The gate's bias is shifted so the
// 16 timed batches split evenly between the experts (counter gru_share): a random gate would send
// nearly everything to one expert and make the comparison meaningless.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "bench/bench_data.h"
#include "bench/bench_head.h"
#include "model/hecto_head.h"

namespace {

using namespace hecto::bench;
using hecto::model::HectoHead;

struct HeadInput {
  torch::Tensor hidden, mask, targets;
};

std::vector<HeadInput> head_inputs(int64_t batch, int dim) {
  std::vector<HeadInput> out;
  torch::manual_seed(0);
  for (const auto& b : random_batches(agnews_encodings(), batch, 16)) {
    size_t longest = 0;
    for (const auto* e : b) longest = std::max(longest, e->ids.size());
    HeadInput in;
    in.hidden = torch::randn({batch, static_cast<int64_t>(longest), dim});
    in.mask = torch::zeros({batch, static_cast<int64_t>(longest)}, torch::kInt64);
    for (int64_t i = 0; i < batch; ++i) in.mask[i].narrow(0, 0, static_cast<int64_t>(b[i]->ids.size())).fill_(1);
    in.hidden.mul_(in.mask.unsqueeze(2));  // zero at padding, as gather_features leaves it
    in.targets = torch::randint(0, 4, {batch}, torch::kInt64);
    out.push_back(std::move(in));
  }
  return out;
}

std::vector<std::pair<torch::Tensor, torch::Tensor>> pairs(const std::vector<HeadInput>& inputs) {
  std::vector<std::pair<torch::Tensor, torch::Tensor>> out;
  for (const auto& in : inputs) out.emplace_back(in.hidden, in.mask);
  return out;
}

HectoHead make_head(bool sparse, int dim) {
  torch::manual_seed(0);
  return agnews_head(dim, sparse);
}

bool require_data(benchmark::State& state) {
  if (!agnews_encodings().empty()) return true;
  state.SkipWithError("no AG News data: set HECTO_DATA_DIR");
  return false;
}

void head_forward(benchmark::State& state, bool sparse) {
  if (!require_data(state)) return;
  const int64_t batch = state.range(0);
  auto inputs = head_inputs(batch, 768);
  auto head = make_head(sparse, 768);
  state.counters["gru_share"] = balance_gate(head, pairs(inputs));
  head->eval();
  torch::InferenceMode inference;
  head->forward(inputs[0].hidden, inputs[0].mask);  // warm-up
  size_t next = 0;
  for (auto _ : state) {
    const auto& in = inputs[next++ % inputs.size()];
    auto out = head->forward(in.hidden, in.mask);
    benchmark::DoNotOptimize(out.logits.data_ptr());
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void head_train_step(benchmark::State& state, bool sparse) {
  if (!require_data(state)) return;
  const int64_t batch = state.range(0);
  auto inputs = head_inputs(batch, 768);
  auto head = make_head(sparse, 768);
  state.counters["gru_share"] = balance_gate(head, pairs(inputs));
  head->train();
  torch::optim::AdamW optimizer(head->parameters(), torch::optim::AdamWOptions(2e-5).weight_decay(0.01));
  auto step = [&](const HeadInput& in) {
    auto out = head->forward(in.hidden, in.mask);
    auto loss = hecto::model::hecto_loss(out, in.targets, head->config());
    optimizer.zero_grad();
    loss.total.backward();
    torch::nn::utils::clip_grad_norm_(head->parameters(), 1.0);
    optimizer.step();
    return loss.total.item<double>();  // the trainer reads the loss every step
  };
  step(inputs[0]);  // warm-up: AdamW allocates its state on the first step
  size_t next = 0;
  for (auto _ : state) benchmark::DoNotOptimize(step(inputs[next++ % inputs.size()]));
  state.SetItemsProcessed(state.iterations() * batch);
}

}  // namespace

BENCHMARK_CAPTURE(head_forward, sparse, true)
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(head_forward, dense, false)
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(head_train_step, sparse, true)
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(head_train_step, dense, false)
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
