// Where one fine-tuned training step's time goes (offline encoder 256 x 4, batch 16, AG News
// lengths grouped as the trainer groups them, fp32): the encoder's forward and backward, the
// head's, dropout masks, and the AdamW update of every parameter. Each part alone, so a change
// to one shows up in one row.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "bench/bench_data.h"
#include "bench/bench_head.h"
#include "model/batch.h"
#include "model/dropout.h"
#include "model/encoder.h"
#include "model/hecto_head.h"
#include "train/fused_adamw.h"

namespace {

using namespace hecto::bench;

// Batches of 16 whose members have neighbouring lengths (the trainer's length grouping).
std::vector<hecto::model::TokenBatch> grouped_batches(int64_t batch, int count) {
  std::vector<const hecto::text::Encoding*> pool;
  for (const auto& e : agnews_encodings()) pool.push_back(&e);
  std::stable_sort(pool.begin(), pool.end(), [](auto* a, auto* b) { return a->ids.size() < b->ids.size(); });
  std::vector<hecto::model::TokenBatch> out;
  const size_t stride = pool.size() / static_cast<size_t>(count);
  for (int i = 0; i < count; ++i) {
    std::vector<const hecto::text::Encoding*> members(pool.begin() + i * stride, pool.begin() + i * stride + batch);
    out.push_back(hecto::model::pad_batch(members, 0));
  }
  return out;
}

void encoder_forward_backward(benchmark::State& state) {
  if (agnews_encodings().empty()) return state.SkipWithError("no AG News data: set HECTO_DATA_DIR");
  torch::manual_seed(0);
  hecto::model::Encoder encoder(offline_encoder());
  encoder->init_weights(0);
  encoder->train();
  const auto batches = grouped_batches(16, 16);
  size_t next = 0;
  for (auto _ : state) {
    const auto& b = batches[next++ % batches.size()];
    encoder->forward(b.ids, b.mask).select(1, 0).sum().backward();
  }
  state.SetItemsProcessed(state.iterations() * 16);
}

void head_forward_backward(benchmark::State& state) {
  if (agnews_encodings().empty()) return state.SkipWithError("no AG News data: set HECTO_DATA_DIR");
  torch::manual_seed(0);
  auto head = agnews_head(256);
  head->train();
  const auto batches = grouped_batches(16, 16);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> inputs;
  for (const auto& b : batches) inputs.emplace_back(torch::randn({b.ids.size(0), b.ids.size(1), 256}), b.mask);
  state.counters["gru_share"] = balance_gate(head, inputs);
  const auto targets = torch::randint(0, 4, {16}, torch::kInt64);
  size_t next = 0;
  for (auto _ : state) {
    const auto& [hidden, mask] = inputs[next++ % inputs.size()];
    auto out = head->forward(hidden.requires_grad_(), mask);
    hecto::model::hecto_loss(out, targets, head->config()).total.backward();
  }
}

// One step's masks: embeddings and 2 per layer on [16, 50, 256], attention [16, 4, 50, 50];
// LibTorch's torch::dropout (philox = 0) against model/dropout (philox = 1).
void dropout_of_one_step(benchmark::State& state) {
  const bool philox = state.range(0) != 0;
  auto drop = [&](const torch::Tensor& x) {
    return philox ? hecto::model::dropout(x, 0.1, true) : torch::dropout(x, 0.1, true);
  };
  const auto hidden = torch::randn({16, 50, 256});
  const auto scores = torch::randn({16, 4, 50, 50});
  for (auto _ : state) {
    for (int i = 0; i < 9; ++i) benchmark::DoNotOptimize(drop(hidden));
    for (int i = 0; i < 4; ++i) benchmark::DoNotOptimize(drop(scores));
  }
}

// LibTorch's AdamW::step (fused = false) against train/fused_adamw (fused = true).
void adamw_step(benchmark::State& state) {
  const bool fused = state.range(0) != 0;
  torch::manual_seed(0);
  hecto::model::Encoder encoder(offline_encoder());
  auto head = agnews_head(256);
  auto params = encoder->parameters();
  for (auto& p : head->parameters()) params.push_back(p);
  for (auto& p : params) p.mutable_grad() = torch::randn_like(p);
  torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(1e-4).weight_decay(0.01));
  auto step = [&] { fused ? hecto::train::fused_adamw_step(optimizer) : (void)optimizer.step(); };
  step();
  for (auto _ : state) step();
  int64_t n = 0;
  for (auto& p : params) n += p.numel();
  state.counters["params"] = static_cast<double>(n);
}

}  // namespace

BENCHMARK(encoder_forward_backward)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(head_forward_backward)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(dropout_of_one_step)->ArgName("philox")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(adamw_step)->ArgName("fused")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
