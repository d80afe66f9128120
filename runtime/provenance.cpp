#include "runtime/provenance.h"

#include <unistd.h>

#include "runtime/build_info.h"
#include "runtime/cpu_isa.h"
#include "runtime/runtime.h"

namespace hecto::runtime {

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

void fill_process_provenance(results::Provenance& p) {
  const auto& b = runtime::build_info();
  p.git_commit = b.git_commit;
  p.git_dirty = b.git_dirty;
  p.compiler = b.compiler;
  p.build_type = b.build_type;
  p.torch_version = b.torch_version;
  const auto blas = runtime::blas_info();
  p.blas = blas.library;
  p.blas_core = blas.corename;
  p.threads = runtime::torch_threads();
  p.cpu_model = runtime::cpu_model();
  p.cpu_isa = runtime::cpu_isa();
  p.host = host_name();
}

}  // namespace hecto::runtime
