#include <benchmark/benchmark.h>

#include <cstdlib>

#include "common/env.h"
#include "runtime/build_info.h"
#include "runtime/runtime.h"

int main(int argc, char** argv) {
  hecto::runtime::prepare_process(argc, argv);
  hecto::runtime::set_torch_threads(hecto::runtime::resolve_threads(0));
  const auto& b = hecto::runtime::build_info();
  const auto blas = hecto::runtime::blas_info();
  benchmark::AddCustomContext("hecto_commit", b.git_commit + (b.git_dirty ? "-dirty" : ""));
  benchmark::AddCustomContext("libtorch", b.torch_version);
  benchmark::AddCustomContext("blas", blas.library);
  benchmark::AddCustomContext("blas_core", blas.corename);
  benchmark::AddCustomContext("torch_threads", std::to_string(hecto::runtime::torch_threads()));
  benchmark::AddCustomContext("cpu", hecto::runtime::cpu_model());
  // Sleeping (PASSIVE) or spinning (ACTIVE, or a spin count) OpenMP workers change small-op latency by a third.
  const auto wait_policy = hecto::common::env::get("OMP_WAIT_POLICY");
  benchmark::AddCustomContext("omp_wait_policy", wait_policy.value_or("unset"));
  benchmark::AddCustomContext("gomp_spincount", hecto::common::env::get("GOMP_SPINCOUNT").value_or("unset"));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
