// fp32 matrix-multiply throughput of this machine through LibTorch (OpenBLAS), with torch's
// intra-op threads (the context's torch_threads): the ceiling the encoder's GFLOP/s is compared with.
//   mm:     torch::mm(A[m,k], B[k,n]), both contiguous; 2048^3 is the machine's practical peak;
//   linear: torch::addmm(bias, X[m,k], W[n,k]^T), the call nn::Linear makes, at the encoder's
//           shapes for a 16 x 128 batch (m = 2048): 768 -> 768 (Q, K, V, out), 768 -> 3072 and
//           3072 -> 768 (FFN), and the offline encoder's 256 -> 256, 256 -> 1024, 1024 -> 256.
// The _bf16 variants run the same products on bf16 tensors (oneDNN; AVX512-BF16 where the CPU
// has it): the ceiling for an encoder cast to bf16. GFLOP/s counts 2 m n k per call.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

namespace {

void set_flops(benchmark::State& state, int64_t m, int64_t k, int64_t n) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(m * k * n) / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_mm(benchmark::State& state, torch::Dtype dtype) {
  const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  torch::InferenceMode inference;
  auto a = torch::randn({m, k}).to(dtype), b = torch::randn({k, n}).to(dtype);
  auto c = torch::mm(a, b);  // warm-up
  for (auto _ : state) {
    torch::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  set_flops(state, m, k, n);
}

void BM_linear(benchmark::State& state, torch::Dtype dtype) {
  const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  torch::InferenceMode inference;
  auto x = torch::randn({m, k}).to(dtype), w = torch::randn({n, k}).to(dtype), bias = torch::randn({n}).to(dtype);
  auto y = torch::addmm(bias, x, w.t());
  for (auto _ : state) {
    y = torch::addmm(bias, x, w.t());
    benchmark::DoNotOptimize(y.data_ptr());
  }
  set_flops(state, m, k, n);
}

}  // namespace

BENCHMARK_CAPTURE(BM_mm, fp32, torch::kFloat)
    ->ArgNames({"m", "k", "n"})
    ->Args({2048, 2048, 2048})
    ->Args({2048, 768, 768})
    ->Args({2048, 768, 3072})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_linear, fp32, torch::kFloat)
    ->ArgNames({"m", "k", "n"})
    ->Args({2048, 768, 768})
    ->Args({2048, 768, 3072})
    ->Args({2048, 3072, 768})
    ->Args({2048, 256, 256})
    ->Args({2048, 256, 1024})
    ->Args({2048, 1024, 256})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_mm, bf16, torch::kBFloat16)
    ->ArgNames({"m", "k", "n"})
    ->Args({2048, 2048, 2048})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// m = 64: the row count of a batch-1 forward at real sentence lengths.
BENCHMARK_CAPTURE(BM_linear, bf16, torch::kBFloat16)
    ->ArgNames({"m", "k", "n"})
    ->Args({2048, 768, 768})
    ->Args({2048, 768, 3072})
    ->Args({2048, 3072, 768})
    ->Args({64, 768, 3072})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_linear, fp32_rows64, torch::kFloat)
    ->ArgNames({"m", "k", "n"})
    ->Args({64, 768, 3072})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
