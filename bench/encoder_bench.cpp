// Encoder forward time in inference mode: DistilBERT-base (768 x 6) at 16 x 128 and 1 x 128 tokens,
// and the offline track's small encoder (256 x 4, 4 heads, ffn 1024) at 16 x 128. Random weights:
// the time does not depend on their values.
#include <benchmark/benchmark.h>

#include "model/encoder.h"

namespace {

using hecto::model::Encoder;
using hecto::model::EncoderConfig;

EncoderConfig offline_small() {
  EncoderConfig c;
  c.dim = 256;
  c.n_layers = 4;
  c.n_heads = 4;
  c.hidden_dim = 1024;
  return c;
}

void encoder_forward(benchmark::State& state, const EncoderConfig& config) {
  const int64_t batch = state.range(0), tokens = state.range(1);
  Encoder encoder(config);
  encoder->init_weights(0);
  encoder->eval();
  torch::InferenceMode inference;
  auto ids = torch::randint(1000, config.vocab_size, {batch, tokens}, torch::kLong);
  auto mask = torch::ones({batch, tokens}, torch::kLong);
  encoder->forward(ids, mask);  // warm-up: first-touch allocations
  for (auto _ : state) {
    auto out = encoder->forward(ids, mask);
    benchmark::DoNotOptimize(out.data_ptr());
  }
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(batch * tokens), benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(config.describe());
}

}  // namespace

BENCHMARK_CAPTURE(encoder_forward, distilbert_base, EncoderConfig::distilbert_base())
    ->Args({16, 128})
    ->Args({1, 128})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(encoder_forward, offline_256x4, offline_small())
    ->Args({16, 128})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
