#include "runtime/runtime.h"
#include "common/env.h"
#include "runtime/cpu_isa.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include <ATen/Parallel.h>

namespace hecto::runtime {

namespace {
constexpr int kOpenMpSpinCount = 1000;
}  // namespace

std::string recommended_openblas_coretype() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  // OpenBLAS 0.3.21 recognises neither recent Intel nor AMD Zen 4 parts and falls back to
  // generic kernels (about 4x slower); naming the ISA level it should use fixes that.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return "";
}

void prepare_process(int argc, char** argv) {
  (void)argc;
  if (common::env::get("HECTO_NO_REEXEC")) return;
  bool changed = false;
  if (!common::env::get("OPENBLAS_CORETYPE")) {
    const std::string core = recommended_openblas_coretype();
    if (!core.empty()) {
      common::env::set("OPENBLAS_CORETYPE", core);
      changed = true;
    }
  }
  // How long an idle OpenMP thread spins before it sleeps. Sleeping at once (PASSIVE) pays a
  // wake-up for every parallel region: a 2-thread fp32 cell ran 1.22x as long as with libgomp's
  // default spin on a quiet KVM guest. That default (about 3 ms) turns any competition for the
  // cores into a cliff: two 2-thread cells at once took 4-5x as long as passive ones (10,000 spins:
  // 2x). 1,000 spins (about 10 us) were as fast as passive there and win back part of the wake-ups
  // on a quiet machine (README, "Design choices"). A wait policy or spin count the user set is kept.
  if (!common::env::get("OMP_WAIT_POLICY") && !common::env::get("GOMP_SPINCOUNT")) {
    common::env::set("GOMP_SPINCOUNT", std::to_string(kOpenMpSpinCount));
    changed = true;
  }
  if (!changed) return;
  // Both variables are read when the libraries load, hence the re-exec. The guard stops a loop
  // if exec'ing ourselves somehow does not preserve the environment.
  common::env::set("HECTO_NO_REEXEC", "1");
  execv("/proc/self/exe", argv);
  // exec failed: carry on with generic kernels rather than refuse to run.
  common::env::unset("HECTO_NO_REEXEC");
}

BlasInfo blas_info() {
  BlasInfo info;
  info.coretype_env = common::env::get("OPENBLAS_CORETYPE").value_or("");
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    auto pos = line.find('/');
    if (pos == std::string::npos) continue;
    std::string path = line.substr(pos);
    if (path.find("libblas") != std::string::npos || path.find("libopenblas") != std::string::npos) {
      info.library = path;
      break;
    }
  }
  using CharFn = char* (*)();
  if (auto fn = reinterpret_cast<CharFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"))) info.corename = fn();
  if (auto fn = reinterpret_cast<CharFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) info.config = fn();
  if (info.library.empty()) info.library = "(none mapped)";
  return info;
}

std::string cpu_model() {
  const std::string name = cpuinfo_field(read_cpuinfo(), "model name");
  return name.empty() ? "unknown" : name;
}

int physical_cores() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::set<std::pair<std::string, std::string>> cores;
  std::string physical = "0";
  while (std::getline(in, line)) {
    auto value = [&] {
      auto p = line.find(':');
      return p == std::string::npos ? "" : line.substr(p + 1);
    };
    if (line.rfind("physical id", 0) == 0) physical = value();
    if (line.rfind("core id", 0) == 0) cores.insert({physical, value()});
  }
  int logical = static_cast<int>(std::thread::hardware_concurrency());
  int n = cores.empty() ? logical : static_cast<int>(cores.size());
  if (logical > 0 && n > logical) n = logical;  // cgroup/affinity limits
  return n > 0 ? n : 1;
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  if (const auto e = common::env::get("HECTO_THREADS")) {
    int v = std::atoi(e->c_str());
    if (v > 0) return v;
  }
  return physical_cores();
}

void set_torch_threads(int n) {
  if (n < 1) n = 1;
  at::set_num_threads(n);
  // Inter-op threads can be set once per process, before any parallel work.
  static bool interop_set = false;
  if (!interop_set) {
    interop_set = true;
    try {
      at::set_num_interop_threads(n);
    } catch (const std::exception&) {
    }
  }
}

int torch_threads() { return at::get_num_threads(); }

}  // namespace hecto::runtime
