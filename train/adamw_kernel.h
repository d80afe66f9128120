#pragma once
// The per-element arithmetic of one AdamW update over a range of one parameter: plain float
// arrays, no torch, so its file can be compiled to vectorise (std::sqrt without errno).
#include <cstdint>

namespace hecto::train {

// The scalars of one parameter's update, in float as ATen casts them for a float tensor.
struct AdamWCoefficients {
  float decay;         // 1 - lr * weight_decay
  float beta1, grad1;  // exp_avg = exp_avg * beta1 + grad1 * g
  float beta2, grad2;  // exp_avg_sq = exp_avg_sq * beta2 + grad2 * g * g
  float bias2_sqrt;    // denom = sqrt(exp_avg_sq) / bias2_sqrt + eps
  float eps;
  float step;        // p = p * decay + step * exp_avg / denom   (step < 0)
  float grad_scale;  // g = stored gradient * grad_scale (gradient clipping's factor, else 1)
};

// Elements [begin, end) of parameter p with gradient g and moments m (exp_avg), v (exp_avg_sq).
void adamw_update(float* p, const float* g, float* m, float* v, int64_t begin, int64_t end, const AdamWCoefficients& k);

}  // namespace hecto::train
