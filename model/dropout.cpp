#include "model/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace hecto::model {

namespace {

uint64_t draw_key() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get<at::CPUGeneratorImpl>()->random64();
}

// keep[i] = scale where the i-th 32-bit draw is >= threshold, else 0; each Philox call gives four
// draws, so element i depends only on (key, i / 4): any split across threads gives the same mask.
void fill_keep(float* keep, int64_t n, uint64_t key, uint32_t threshold, float scale) {
  using Philox = r123::Philox4x32;
  const Philox::key_type k = {{static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)}};
  const int64_t blocks = (n + 3) / 4;
  at::parallel_for(0, blocks, 4096, [&](int64_t begin, int64_t end) {
    Philox philox;
    for (int64_t b = begin; b < end; ++b) {
      const Philox::ctr_type counter = {{static_cast<uint32_t>(b), static_cast<uint32_t>(b >> 32), 0, 0}};
      const Philox::ctr_type r = philox(counter, k);
      const int64_t first = 4 * b, count = std::min<int64_t>(4, n - first);
      for (int64_t j = 0; j < count; ++j) keep[first + j] = r[j] >= threshold ? scale : 0.0f;
    }
  });
}

}  // namespace

torch::Tensor dropout(const torch::Tensor& x, double p, bool train) {
  if (!train || p == 0) return x;
  if (!x.device().is_cpu() || p >= 1) return torch::dropout(x, p, train);
  // The drop threshold on a uniform 32-bit draw: P(drop) = p to within 2^-32.
  const auto threshold = static_cast<uint32_t>(std::min(std::ldexp(p, 32), 4294967295.0));
  torch::Tensor keep = torch::empty(x.sizes(), x.options().dtype(torch::kFloat));
  fill_keep(keep.data_ptr<float>(), keep.numel(), draw_key(), threshold, static_cast<float>(1.0 / (1.0 - p)));
  return x * (x.scalar_type() == torch::kFloat ? keep : keep.to(x.scalar_type()));
}

}  // namespace hecto::model
