#include <cstdlib>
#include <sstream>

#include "common/env.h"
#include "runtime/build_info.h"
#include "runtime/cpu_isa.h"
#include "runtime/device.h"
#include "runtime/runtime.h"

namespace hecto::runtime {

std::string describe_build(bool verbose) {
  const auto& b = build_info();
  const auto blas = blas_info();
  const auto wait_policy = common::env::get("OMP_WAIT_POLICY");
  const auto spin_count = common::env::get("GOMP_SPINCOUNT");
  std::ostringstream os;
  os << "hecto " << b.version << "\n"
     << "commit:    " << b.git_commit << (b.git_dirty ? " (dirty)" : "") << "\n"
     << "compiler:  " << b.compiler << "\n"
     << "build:     " << b.build_type << "\n"
     << "libtorch:  " << b.torch_version << "\n"
     << "blas:      " << blas.library << "\n"
     << "blas core: " << (blas.corename.empty() ? "n/a" : blas.corename)
     << " (OPENBLAS_CORETYPE=" << (blas.coretype_env.empty() ? "unset" : blas.coretype_env) << ")\n"
     << "threads:   " << torch_threads() << " (physical cores " << physical_cores()
     << ", OMP_WAIT_POLICY=" << wait_policy.value_or("unset")
     << ", GOMP_SPINCOUNT=" << spin_count.value_or("unset") << ")\n";
  if (verbose) {
    const int gpus = cuda_device_count();
    os << "cuda:      " << (gpus > 0 ? "available (" + std::to_string(gpus) + " GPU" + (gpus > 1 ? "s" : "") + ")"
                                     : std::string("none (CPU LibTorch or no GPU visible)"))
       << "\n";
    const std::string isa = cpu_isa();
    os << "cpu:       " << cpu_model() << (isa.empty() ? "" : " (" + isa + ")") << "\n"
       << "blas cfg:  " << (blas.config.empty() ? "n/a" : blas.config) << "\n"
       << "threads from: " << (common::env::get("HECTO_THREADS") ? "HECTO_THREADS" : "--threads or physical cores")
       << "\n";
  }
  return os.str();
}

}  // namespace hecto::runtime
