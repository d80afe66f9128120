#include "runtime/precision.h"

#include <ATen/autocast_mode.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "runtime/torch_compat.h"

namespace hecto::runtime {

namespace {

bool cpu_has_flag(const std::string& flag) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;)
      if (w == flag) return true;
    return false;
  }
  return false;
}

double cuda_compute_capability(int index) {
  const std::string cmd =
      "nvidia-smi --query-gpu=compute_cap --format=csv,noheader -i " + std::to_string(index) + " 2>/dev/null";
  double cc = 0;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    if (std::fscanf(p, "%lf", &cc) != 1) cc = 0;
    pclose(p);
  }
  return cc;
}

}  // namespace

bool has_native_bf16(const DeviceChoice& device) {
  if (device.is_cuda()) return cuda_compute_capability(device.device.index()) >= 8.0;
  static const bool cpu = cpu_has_flag("avx512_bf16") || cpu_has_flag("amx_bf16");
  return cpu;
}

Numerics resolve_numerics(const std::string& requested, const DeviceChoice& device) {
  if (requested == "fp32") return {false};
  if (requested == "bf16") return {true};
  if (requested == "auto") return {has_native_bf16(device)};
  throw common::InputError({"--precision " + requested}, "unknown precision", "auto, fp32 or bf16");
}

AutocastScope::AutocastScope(const DeviceChoice& device, const Numerics& numerics) : active_(numerics.bf16) {
  if (!active_) return;
  type_ = device.is_cuda() ? c10::DeviceType::CUDA : c10::DeviceType::CPU;
  was_enabled_ = compat::autocast_enabled(type_);
  previous_dtype_ = compat::autocast_dtype(type_);
  compat::set_autocast_dtype(type_, c10::ScalarType::BFloat16);
  compat::set_autocast_enabled(type_, true);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!active_) return;
  // The outermost scope drops the weights' cast copies, so a later step sees updated weights.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  compat::set_autocast_enabled(type_, was_enabled_);
  compat::set_autocast_dtype(type_, previous_dtype_);
}

}  // namespace hecto::runtime
