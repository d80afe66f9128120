// End-to-end inference, what serving a request costs: AG News test texts in, (class, chosen
// expert) out. Timed per iteration: tokenize (max_len 128) -> pad to the batch's longest ->
// encoder -> Hecto head (FFNN + GRU, argmax routing, sparse dispatch) -> argmax -> ints.
// Batch 1 is single-request latency; 16 and 64 are batched throughput over texts taken in a
// shuffled order. s/sample is the CPU counterpart of the paper's 0.0083 s/sample (T4 GPU).
// Random weights, eval mode, torch::InferenceMode. The _bf16 variants cast the encoder to bf16
// (the head stays fp32); tests/model/encoder_test.cpp checks how close that stays to fp32.
// The device is HECTO_DEVICE's (`hecto bench --device`): on a GPU the texts are tokenised on the
// host, the batch copied over, and the predictions copied back, all inside the timed region.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "bench/bench_data.h"
#include "model/batch.h"
#include "model/encoder.h"
#include "model/hecto_head.h"
#include "runtime/device.h"

namespace {

using namespace hecto::bench;
using hecto::model::EncoderConfig;

struct Prediction {
  int label, expert;
};

void end_to_end(benchmark::State& state, const EncoderConfig& config, torch::Dtype dtype) {
  const auto& all = agnews_test_texts();
  if (!require_texts(state, all)) return;
  const int64_t batch = state.range(0);
  std::vector<const std::string*> texts;
  for (const auto& t : all) texts.push_back(&t);
  std::shuffle(texts.begin(), texts.end(), std::mt19937_64(1));

  torch::manual_seed(0);
  hecto::model::Encoder encoder(config);
  encoder->init_weights(0);
  encoder->eval();
  const auto device = hecto::runtime::resolve_device(hecto::runtime::default_device_spec()).device;
  encoder->to(device);
  encoder->to(dtype);
  hecto::model::HectoConfig hc;
  hc.input_dim = config.dim;
  hc.n_outputs = 4;
  hecto::model::HectoHead head(hc);
  head->eval();
  head->to(device);
  const auto& tok = tokenizer();
  torch::InferenceMode inference;

  size_t next = 0;
  auto predict = [&] {
    std::vector<hecto::text::Encoding> encodings;
    for (int64_t i = 0; i < batch; ++i) encodings.push_back(tok.encode(*texts[next++ % texts.size()], 128));
    std::vector<const hecto::text::Encoding*> ptrs;
    for (const auto& e : encodings) ptrs.push_back(&e);
    auto b = hecto::model::pad_batch(ptrs, tok.pad_id());
    const auto ids = b.ids.to(device), mask = b.mask.to(device);
    auto out = head->forward(encoder->forward(ids, mask), mask);
    auto labels = out.logits.argmax(1).cpu().contiguous(), experts = out.chosen().cpu().contiguous();
    std::vector<Prediction> result(batch);
    for (int64_t i = 0; i < batch; ++i)
      result[i] = {static_cast<int>(labels.data_ptr<int64_t>()[i]), static_cast<int>(experts.data_ptr<int64_t>()[i])};
    return result;
  };
  predict();  // warm-up
  for (auto _ : state) {
    auto result = predict();
    benchmark::DoNotOptimize(result.data());
  }
  using benchmark::Counter;
  state.counters["s/sample"] =
      Counter(static_cast<double>(batch), Counter::kIsIterationInvariantRate | Counter::kInvert);
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetLabel(encoder_label(config, dtype));
}

}  // namespace

BENCHMARK_CAPTURE(end_to_end, base, distilbert_base(), torch::kFloat)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(end_to_end, offline, offline_encoder(), torch::kFloat)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(end_to_end, base_bf16, distilbert_base(), torch::kBFloat16)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
