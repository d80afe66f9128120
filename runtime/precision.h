#pragma once
// The arithmetic of training and evaluation: fp32, or bf16 autocast where the device does bf16
// matrix work natively (CPUs with AVX512-BF16 or AMX, GPUs of compute capability 8.0 and up).
// bf16 emulated on an AVX2 CPU is slower than fp32, so `auto` picks it only where it is native.
// Autocast covers the encoder's matrix products; LayerNorm, softmax, the head and the losses
// stay fp32 (see docs/model.md).
#include <string>

#include "runtime/device.h"

namespace hecto::runtime {

struct Numerics {
  bool bf16 = false;
  std::string name() const { return bf16 ? "bf16" : "fp32"; }
};

bool has_native_bf16(const DeviceChoice& device);
// requested: "auto" (bf16 where native), "fp32", or "bf16" (even where emulated). InputError otherwise.
Numerics resolve_numerics(const std::string& requested, const DeviceChoice& device);

// bf16 autocast on the device for the scope's lifetime (nothing for fp32); the previous state
// and the cast cache are restored after it.
class AutocastScope {
 public:
  AutocastScope(const DeviceChoice& device, const Numerics& numerics);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  c10::DeviceType type_ = c10::DeviceType::CPU;
  bool was_enabled_ = false;
  c10::ScalarType previous_dtype_ = c10::ScalarType::BFloat16;
};

// Where a cell or a pretraining run computes: device and numerics, resolved once.
struct Execution {
  DeviceChoice device;
  Numerics numerics;
  std::string describe() const { return device.describe() + ", " + numerics.name(); }
};

}  // namespace hecto::runtime
