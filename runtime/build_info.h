#pragma once
// What built this binary: recorded with every result so a figure can be traced to its code.
#include <string>

namespace hecto::runtime {

struct BuildInfo {
  std::string version;
  std::string git_commit;
  bool git_dirty;
  std::string compiler;
  std::string build_type;
  std::string torch_version;
};

const BuildInfo& build_info();

// One line per fact, for `hecto --version`; verbose adds runtime facts (BLAS, threads, CPU).
std::string describe_build(bool verbose);

}  // namespace hecto::runtime
