#include "runtime/device.h"

#include <ATen/detail/CUDAHooksInterface.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "common/env.h"
#include "common/error.h"
#include "runtime/runtime.h"

namespace hecto::runtime {

namespace {

// nvidia-smi answers for the GPU LibTorch calls N (CUDA_VISIBLE_DEVICES renumbers both alike).
std::string nvidia_smi(const std::string& query, int index) {
  const std::string cmd =
      "nvidia-smi --query-gpu=" + query + " --format=csv,noheader -i " + std::to_string(index) + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
  return out;
}

// "CUDA Runtime 12.1" in LibTorch's build description.
std::string cuda_runtime_version() {
  const std::string config = at::detail::getCUDAHooks().showConfig();
  std::smatch m;
  if (std::regex_search(config, m, std::regex("CUDA Runtime ([0-9.]+)"))) return m[1];
  return "unknown";
}

int parse_index(const std::string& spec) {
  try {
    size_t used = 0;
    const int n = std::stoi(spec.substr(5), &used);
    if (used == spec.size() - 5 && n >= 0) return n;
  } catch (...) {
  }
  return -1;
}

}  // namespace

std::string DeviceChoice::describe() const {
  std::string s = device.str() + (name.empty() ? "" : " " + name);
  if (is_cuda()) s += " (CUDA " + cuda_runtime + ", cuDNN " + cudnn + ", driver " + driver + ")";
  return s;
}

int cuda_device_count() { return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0; }

std::string default_device_spec() {
  const auto env = common::env::get("HECTO_DEVICE");
  return env && !env->empty() ? *env : "auto";
}

DeviceChoice resolve_device(const std::string& spec) {
  const common::SourceLocation where{"--device " + spec};
  int index = -1;
  if (spec == "auto") {
    index = cuda_device_count() > 0 ? 0 : -1;
  } else if (spec == "cuda") {
    index = 0;
  } else if (spec.rfind("cuda:", 0) == 0) {
    index = parse_index(spec);
    if (index < 0) throw common::InputError(where, "malformed device", "auto, cpu, cuda or cuda:N with N >= 0");
  } else if (spec != "cpu") {
    throw common::InputError(where, "unknown device", "auto, cpu, cuda or cuda:N");
  }

  DeviceChoice d;
  if (index < 0) {
    d.name = cpu_model();
    return d;
  }
  const int gpus = cuda_device_count();
  if (gpus == 0)
    throw common::InputError(where,
                             torch::cuda::is_available() || at::detail::getCUDAHooks().hasCUDA()
                                 ? "no GPU is visible to this process"
                                 : "this hecto was built against a LibTorch without CUDA",
                             "--device cpu, or a CUDA LibTorch (README: GPU set-up)");
  if (index >= gpus)
    throw common::InputError(where, "GPU " + std::to_string(index) + " does not exist",
                             "an index below " + std::to_string(gpus));
  d.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  d.kind = "cuda";
  d.name = nvidia_smi("name", index);
  d.driver = nvidia_smi("driver_version", index);
  d.cuda_runtime = cuda_runtime_version();
  d.cudnn = at::detail::getCUDAHooks().hasCuDNN() ? std::to_string(at::detail::getCUDAHooks().versionCuDNN()) : "none";
  if (d.name.empty()) d.name = "CUDA device " + std::to_string(index);
  if (d.driver.empty()) d.driver = "unknown";
  return d;
}

}  // namespace hecto::runtime
