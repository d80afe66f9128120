#include "common/env.h"

#include <cstdlib>
#include <stdexcept>

namespace hecto::common::env {

const std::vector<Variable>& variables() {
  static const std::vector<Variable> table{
      {"HECTO_DATA_DIR", "tasks", "Dataset directory when --data-dir is not given (then ./data, then ../shared/data)."},
      {"HECTO_THREADS", "runtime", "Torch threads when --threads is not given (default: the physical cores)."},
      {"HECTO_DEVICE", "runtime", "auto, cpu, cuda or cuda:N when --device is not given (default: auto)."},
      {"HECTO_NO_REEXEC", "runtime",
       "Set by hecto on its one re-execution; set it yourself to keep OPENBLAS_CORETYPE and GOMP_SPINCOUNT unset."},
      {"OPENBLAS_CORETYPE", "runtime",
       "OpenBLAS kernels. hecto sets SkylakeX (AVX-512) or Haswell (AVX2) when unset; a value you set is kept."},
      {"OMP_WAIT_POLICY", "runtime", "Kept as you set it (PASSIVE: idle threads sleep at once; ACTIVE: they spin). hecto leaves it unset."},
      {"GOMP_SPINCOUNT", "runtime",
       "hecto sets 1000 when neither it nor OMP_WAIT_POLICY is set: idle threads spin about 10 us, then sleep."},
      {"CUDA_VISIBLE_DEVICES", "runner", "Set for each --jobs worker on a GPU machine: one GPU per worker."},
      {"HECTO_TEST_DATA", "tests", "Dataset directory for the tests (default: ../shared/data beside the checkout)."},
      {"HECTO_UPDATE_GOLDEN", "tests", "1: the report golden tests rewrite their expected files instead of comparing."},
  };
  return table;
}

namespace {
void require_documented(const std::string& name) {
  for (const auto& v : variables())
    if (v.name == name) return;
  throw std::logic_error("environment variable " + name + " is read but not in common/env.cpp's table");
}
}  // namespace

std::optional<std::string> get(const std::string& name) {
  require_documented(name);
  if (const char* value = std::getenv(name.c_str())) return std::string(value);
  return std::nullopt;
}

void set(const std::string& name, const std::string& value) {
  require_documented(name);
  setenv(name.c_str(), value.c_str(), 1);
}

void unset(const std::string& name) {
  require_documented(name);
  unsetenv(name.c_str());
}

}  // namespace hecto::common::env
