#pragma once
// Process-level setup that decides how fast the maths runs: which BLAS kernels OpenBLAS
// picks (it must be told on CPUs it does not recognise, before it loads) and how many
// threads torch uses. Every hecto binary calls prepare_process() first thing in main().
#include <string>

namespace hecto::runtime {

// The OpenBLAS core type this CPU should use ("SkylakeX" with AVX-512, "Haswell" with AVX2),
// or "" when OpenBLAS's own detection is fine.
std::string recommended_openblas_coretype();

// Sets what the maths libraries read when they load, then re-executes the program once:
// OPENBLAS_CORETYPE when unset and this CPU needs it, and GOMP_SPINCOUNT=1000 when neither it nor
// OMP_WAIT_POLICY is set (idle OpenMP threads spin about 10 us, then sleep: long spins collapse
// when anything else wants the cores, none pays a wake-up per parallel region). A value the user
// set is kept. HECTO_NO_REEXEC=1 disables this.
void prepare_process(int argc, char** argv);

struct BlasInfo {
  std::string library;       // path of the libblas actually mapped into this process
  std::string corename;      // OpenBLAS's own answer (openblas_get_corename), "" if not OpenBLAS
  std::string config;        // openblas_get_config()
  std::string coretype_env;  // OPENBLAS_CORETYPE as seen by this process
};
BlasInfo blas_info();

std::string cpu_model();
int physical_cores();

// Thread count from, in order: explicit value (>0), HECTO_THREADS, physical cores.
int resolve_threads(int requested);
// Sets torch intra-op threads (and OpenMP's) to n.
void set_torch_threads(int n);
int torch_threads();

}  // namespace hecto::runtime
