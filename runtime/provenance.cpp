#include "runtime/provenance.h"

#include <unistd.h>

#include <chrono>
#include <ctime>

#include "runtime/build_info.h"
#include "runtime/cpu_isa.h"
#include "runtime/runtime.h"

namespace hecto::runtime {

std::string utc_now_iso8601() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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
