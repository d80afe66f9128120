#pragma once
// What the benchmarks share: the real texts they time (AG News test, SST-2 train), the
// tokenizer, length-realistic batches, the two encoder sizes and the FLOP count of a forward.
// Texts and encodings load once per process, outside any timed region.
#include <benchmark/benchmark.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/encoder_config.h"
#include "text/tokenizer.h"

namespace hecto::bench {

// tasks::resolve_data_dir(""), else ../shared/data beside the source checkout (so a binary run
// from its build folder still finds the data).
const std::string& data_dir();
const text::Tokenizer& tokenizer();

// Empty when the data is missing: callers SkipWithError (see require_texts).
const std::vector<std::string>& agnews_test_texts();  // title + " " + description, 7,600 rows
const std::vector<std::string>& sst2_train_texts();   // 67,349 sentences
bool require_texts(benchmark::State& state, const std::vector<std::string>& texts);

// AG News test texts encoded at max_len 128, the suite's (and the trainer's) default: the real
// length distribution every "dynamic padding" benchmark draws from.
const std::vector<text::Encoding>& agnews_encodings();

// count batches of `batch` encodings drawn at random (fixed seed) from `pool`: the lengths a
// training step meets. Each batch is padded to its own longest member.
std::vector<std::vector<const text::Encoding*>> random_batches(const std::vector<text::Encoding>& pool, int64_t batch,
                                                               int count, uint64_t seed = 1);

model::EncoderConfig distilbert_base();
model::EncoderConfig offline_encoder();  // dim 256 x 4 layers, 4 heads, FFN 1024 (the offline track)
// A benchmark's label: the encoder's shape, and ", bf16" when it computes in bf16.
std::string encoder_label(const model::EncoderConfig& config, c10::ScalarType dtype);

// Multiply-add FLOPs (2 per MAC) of the matrix products of one encoder forward over a
// [batch, tokens] padded input: Q, K, V, output projections, the FFN and the two attention
// products. Embeddings, LayerNorm, softmax and GELU are left out (a few percent).
double encoder_forward_flops(const model::EncoderConfig& config, int64_t batch, int64_t tokens);

// Sets the counters every encoder-bearing benchmark reports, from totals over all iterations:
// valid (non-padding) tokens/s, padded length per sample, share of padding, matmul GFLOP/s.
void set_encoder_counters(benchmark::State& state, double valid_tokens, double padded_tokens, double flops,
                          double samples);

}  // namespace hecto::bench
