// Encoder forward in inference mode (torch::InferenceMode, eval: no dropout) at batch 1, 16 and
// 64, for DistilBERT-base (768 x 6, 12 heads, FFN 3072) and the offline encoder (256 x 4, 4 heads,
// FFN 1024). Two input shapes:
//   dynamic: AG News test texts (max_len 128) in random batches, each padded to its own longest
//            member, what training and evaluation do; iterations cycle through 16 fixed batches;
//   pad128:  every batch padded to 128 tokens (the naive baseline, and the GEMM-friendly shape).
// The _bf16 variants cast the encoder to bf16 (oneDNN matmuls; compare with gemm_bench's bf16 peak).
// Random weights: the time does not depend on their values. GFLOP/s counts the matmul FLOPs of
// the padded shapes actually computed (bench_data.h), to compare with gemm_bench's peak.
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "model/batch.h"
#include "model/encoder.h"

namespace {

using namespace hecto::bench;
using hecto::model::EncoderConfig;

struct Variant {
  EncoderConfig config;
  int pad_to;  // 0 = dynamic padding
  torch::Dtype dtype = torch::kFloat;
};

void encoder_forward(benchmark::State& state, const Variant& v) {
  const int64_t batch = state.range(0);
  const auto& pool = agnews_encodings();
  if (pool.empty()) {
    state.SkipWithError("no AG News data: set HECTO_DATA_DIR");
    return;
  }
  hecto::model::Encoder encoder(v.config);
  encoder->init_weights(0);
  encoder->eval();
  encoder->to(v.dtype);
  torch::InferenceMode inference;
  std::vector<hecto::model::TokenBatch> batches;
  std::vector<double> valid_of, flops_of;
  for (const auto& b : random_batches(pool, batch, 16)) {
    batches.push_back(hecto::model::pad_batch(b, 0, v.pad_to));
    valid_of.push_back(static_cast<double>(batches.back().mask.sum().item<int64_t>()));
    flops_of.push_back(encoder_forward_flops(v.config, batch, batches.back().ids.size(1)));
  }
  encoder->forward(batches[0].ids, batches[0].mask);  // warm-up: first-touch allocations

  double valid = 0, padded = 0, flops = 0;
  size_t next = 0;
  for (auto _ : state) {
    const size_t i = next++ % batches.size();
    auto out = encoder->forward(batches[i].ids, batches[i].mask);
    benchmark::DoNotOptimize(out.data_ptr());
    valid += valid_of[i];
    padded += static_cast<double>(batches[i].ids.numel());
    flops += flops_of[i];
  }
  set_encoder_counters(state, valid, padded, flops, static_cast<double>(state.iterations() * batch));
  state.SetItemsProcessed(state.iterations() * batch);  // samples/s
  state.SetLabel(encoder_label(v.config, v.dtype));
}

}  // namespace

BENCHMARK_CAPTURE(encoder_forward, base_dynamic, Variant{distilbert_base(), 0})
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(encoder_forward, base_pad128, Variant{distilbert_base(), 128})
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(encoder_forward, offline_dynamic, Variant{offline_encoder(), 0})
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(encoder_forward, offline_pad128, Variant{offline_encoder(), 128})
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(encoder_forward, base_dynamic_bf16, Variant{distilbert_base(), 0, torch::kBFloat16})
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
