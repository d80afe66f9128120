// One full training step as runner/trainer.cpp takes it (forward, hecto_loss, backward, grad
// clip 1.0, AdamW step, loss read back), on random batches of AG News test lengths (max_len 128,
// dynamic padding), 4 classes, FFNN + GRU head with sparse dispatch:
//   finetuned: encoder (train mode, dropout on) + head, both updated;
//   frozen_cached: head only, its input gathered from a cache of fp16 encoder outputs (random
//                  values, real lengths, 1,024 examples) exactly as gather_features does.
// For DistilBERT-base (768 x 6) and the offline encoder (256 x 4), batch 16 and 64. The gate's
// bias is centred (bench_head.h) so about half the samples run the GRU expert (gru_share).
#include <benchmark/benchmark.h>

#include <random>

#include "bench/bench_data.h"
#include "bench/bench_head.h"
#include "model/batch.h"
#include "model/encoder.h"
#include "model/hecto_head.h"
#include "train/feature_cache.h"

namespace {

using namespace hecto::bench;
using hecto::model::EncoderConfig;

// Forward, loss, backward, clip, step: what every step of train_and_evaluate does after batching.
struct Stepper {
  hecto::model::HectoHead head;
  std::vector<torch::Tensor> params;
  torch::optim::AdamW optimizer;

  Stepper(hecto::model::HectoHead h, std::vector<torch::Tensor> p)
      : head(std::move(h)),
        params(std::move(p)),
        optimizer(params, torch::optim::AdamWOptions(2e-5).weight_decay(0.01)) {}

  double step(const torch::Tensor& hidden, const torch::Tensor& mask, const torch::Tensor& targets) {
    auto out = head->forward(hidden, mask);
    auto loss = hecto::model::hecto_loss(out, targets, head->config());
    optimizer.zero_grad();
    loss.total.backward();
    torch::nn::utils::clip_grad_norm_(params, 1.0);
    optimizer.step();
    return loss.total.item<double>();
  }
};

bool require_data(benchmark::State& state) {
  if (!agnews_encodings().empty()) return true;
  state.SkipWithError("no AG News data: set HECTO_DATA_DIR");
  return false;
}

void finetuned(benchmark::State& state, const EncoderConfig& config) {
  if (!require_data(state)) return;
  const int64_t batch = state.range(0);
  torch::manual_seed(0);
  hecto::model::Encoder encoder(config);
  encoder->init_weights(0);
  encoder->train();
  auto head = agnews_head(config.dim);
  head->train();
  auto params = head->parameters();
  for (auto& p : encoder->parameters()) params.push_back(p);
  Stepper stepper(head, params);

  std::vector<hecto::model::TokenBatch> batches;
  std::vector<double> valid_of, flops_of;
  for (const auto& b : random_batches(agnews_encodings(), batch, 8)) {
    batches.push_back(hecto::model::pad_batch(b, 0));
    valid_of.push_back(static_cast<double>(batches.back().mask.sum().item<int64_t>()));
    // Backward costs two matmuls per forward matmul (input and weight gradients).
    flops_of.push_back(3 * encoder_forward_flops(config, batch, batches.back().ids.size(1)));
  }
  {
    torch::NoGradGuard no_grad;  // one batch's encoder output is enough to centre the gate
    state.counters["gru_share"] =
        balance_gate(head, {{encoder->forward(batches[0].ids, batches[0].mask), batches[0].mask}});
  }
  auto targets = torch::randint(0, 4, {batch}, torch::kInt64);
  auto run = [&](const hecto::model::TokenBatch& b) {
    return stepper.step(encoder->forward(b.ids, b.mask), b.mask, targets);
  };
  run(batches[0]);  // warm-up: AdamW allocates its state on the first step

  double valid = 0, padded = 0, flops = 0;
  size_t next = 0;
  for (auto _ : state) {
    const size_t i = next++ % batches.size();
    benchmark::DoNotOptimize(run(batches[i]));
    valid += valid_of[i];
    padded += static_cast<double>(batches[i].ids.numel());
    flops += flops_of[i];
  }
  set_encoder_counters(state, valid, padded, flops, static_cast<double>(state.iterations() * batch));
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetLabel(config.describe());
}

// A FeatureSet shaped like the cache of the first 1,024 AG News test examples.
hecto::train::FeatureSet fake_cache(int dim) {
  const auto& encodings = agnews_encodings();
  const int64_t n = std::min<int64_t>(1024, static_cast<int64_t>(encodings.size()));
  std::vector<int64_t> offsets(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + static_cast<int64_t>(encodings[i].ids.size());
  return hecto::train::make_feature_set(torch::randn({offsets[n], dim}).to(torch::kFloat16), offsets);
}

void frozen_cached(benchmark::State& state, const EncoderConfig& config) {
  if (!require_data(state)) return;
  const int64_t batch = state.range(0);
  torch::manual_seed(0);
  const auto cache = fake_cache(config.dim);
  auto head = agnews_head(config.dim);
  head->train();
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> pick(0, cache.size() - 1);
  auto draw = [&] {
    std::vector<int64_t> idx(batch);
    for (auto& i : idx) i = pick(rng);
    return idx;
  };
  std::vector<std::pair<torch::Tensor, torch::Tensor>> sample;
  for (int i = 0; i < 8; ++i) {
    auto p = hecto::train::gather_features(cache, draw());
    sample.emplace_back(p.hidden, p.mask);
  }
  state.counters["gru_share"] = balance_gate(head, sample);
  Stepper stepper(head, head->parameters());
  auto targets = torch::randint(0, 4, {batch}, torch::kInt64);
  auto run = [&] {
    auto p = hecto::train::gather_features(cache, draw());
    return stepper.step(p.hidden, p.mask, targets);
  };
  run();
  for (auto _ : state) benchmark::DoNotOptimize(run());
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetLabel("head only, input " + std::to_string(config.dim));
}

}  // namespace

BENCHMARK_CAPTURE(finetuned, base, distilbert_base())
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(finetuned, offline, offline_encoder())
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(frozen_cached, base, distilbert_base())
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(frozen_cached, offline, offline_encoder())
    ->ArgName("batch")
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
