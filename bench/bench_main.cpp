#include <benchmark/benchmark.h>

#include <cstdlib>

#include "common/build_info.h"
#include "common/runtime.h"

int main(int argc, char** argv) {
  hecto::common::prepare_process(argc, argv);
  hecto::common::set_torch_threads(hecto::common::resolve_threads(0));
  const auto& b = hecto::common::build_info();
  const auto blas = hecto::common::blas_info();
  benchmark::AddCustomContext("hecto_commit", b.git_commit + (b.git_dirty ? "-dirty" : ""));
  benchmark::AddCustomContext("libtorch", b.torch_version);
  benchmark::AddCustomContext("blas", blas.library);
  benchmark::AddCustomContext("blas_core", blas.corename);
  benchmark::AddCustomContext("torch_threads", std::to_string(hecto::common::torch_threads()));
  benchmark::AddCustomContext("cpu", hecto::common::cpu_model());
  // Sleeping (PASSIVE) or spinning (ACTIVE) OpenMP workers change small-op latency by a third.
  const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
  benchmark::AddCustomContext("omp_wait_policy", wait_policy ? wait_policy : "unset");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
