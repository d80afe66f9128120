#include "train/adamw_kernel.h"

#include <cmath>

namespace hecto::train {

void adamw_update(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v,
                  int64_t begin, int64_t end, const AdamWCoefficients& k) {
  // Same operations in the same order as LibTorch's AdamW::step, one element at a time.
  for (int64_t i = begin; i < end; ++i) {
    const float gi = g[i] * k.grad_scale;
    const float mi = m[i] * k.beta1 + k.grad1 * gi;
    const float vi = v[i] * k.beta2 + k.grad2 * gi * gi;
    const float denom = std::sqrt(vi) / k.bias2_sqrt + k.eps;
    p[i] = p[i] * k.decay + k.step * (mi / denom);
    m[i] = mi;
    v[i] = vi;
  }
}

}  // namespace hecto::train
