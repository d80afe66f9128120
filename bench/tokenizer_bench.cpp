// Tokenizer throughput on real text, one thread: SST-2 train sentences (short) and AG News test
// articles (title + description, longer). items_per_second is texts per second; one iteration
// encodes the whole file at max_len 512 (no truncation to speak of), as the token cache does.
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "tasks/task.h"

namespace {

using namespace hecto::bench;

void run_encode(benchmark::State& state, const std::vector<std::string>& texts) {
  if (!require_texts(state, texts)) return;
  const auto& t = tokenizer();
  double tokens = 0;
  for (auto _ : state) {
    for (const auto& s : texts) {
      auto e = t.encode(s, 512);
      tokens += static_cast<double>(e.ids.size());
      benchmark::DoNotOptimize(e.ids.data());
    }
  }
  const double texts_done = static_cast<double>(state.iterations()) * static_cast<double>(texts.size());
  state.SetItemsProcessed(static_cast<int64_t>(texts_done));
  state.counters["tokens/s"] = benchmark::Counter(tokens, benchmark::Counter::kIsRate);
  state.counters["tokens_per_text"] = tokens / texts_done;
}

void BM_TokenizeSst2Train(benchmark::State& state) { run_encode(state, sst2_train_texts()); }
void BM_TokenizeAgNewsTest(benchmark::State& state) { run_encode(state, agnews_test_texts()); }

void BM_LoadVocab(benchmark::State& state) {
  const auto path = hecto::tasks::default_vocab_path(data_dir());
  for (auto _ : state) benchmark::DoNotOptimize(hecto::text::Tokenizer::from_file(path).vocab_size());
}

}  // namespace

BENCHMARK(BM_TokenizeSst2Train)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TokenizeAgNewsTest)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadVocab)->Unit(benchmark::kMillisecond)->UseRealTime();
