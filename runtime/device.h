#pragma once
// Where tensors live: --device auto|cpu|cuda|cuda:N (or HECTO_DEVICE). `auto` is CUDA when this
// LibTorch was built with it and a GPU is visible, else the CPU. Debian's LibTorch is CPU-only,
// so the default build always resolves to the CPU; a CUDA LibTorch (README, GPU set-up) turns
// the same code to the GPU.
#include <torch/torch.h>

#include <string>

namespace hecto::runtime {

struct DeviceChoice {
  torch::Device device{torch::kCPU};
  std::string kind = "cpu";  // "cpu" | "cuda"
  std::string name;          // the CPU model, or the GPU's name
  // CUDA only (empty on the CPU): what every result records so devices are never mixed silently.
  std::string cuda_runtime, cudnn, driver;
  bool is_cuda() const { return device.is_cuda(); }
  std::string describe() const;  // "cuda:0 NVIDIA H200 (CUDA 13.0, cuDNN 91000, driver 580.159)"
};

// InputError for a spelling other than auto|cpu|cuda|cuda:N, or for CUDA where LibTorch has no
// CUDA or no GPU N is visible.
DeviceChoice resolve_device(const std::string& spec);
// HECTO_DEVICE when set, else "auto".
std::string default_device_spec();
// GPUs this process can use (0 when LibTorch has no CUDA).
int cuda_device_count();

}  // namespace hecto::runtime
