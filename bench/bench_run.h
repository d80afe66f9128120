#pragma once
// `hecto bench`: runs the Google Benchmark binaries (build/bench/*_bench), stores every figure
// in the results database with provenance, prints a table.
#include <ostream>
#include <string>

#include "results/records.h"

namespace hecto::bench {

struct BenchOptions {
  std::string db_path = results::kDefaultDbPath;
  std::string filter;     // --benchmark_filter regex ("" = every benchmark)
  double min_time = 0;    // --benchmark_min_time seconds (0 = Google Benchmark's default, 0.5)
  std::string bench_dir;  // "" = bench/ beside the running hecto executable
  std::string device;     // auto | cpu | cuda | cuda:N, passed on as HECTO_DEVICE ("" = as set)
};

// 0 when every binary ran and reported cleanly; 1 when one failed or a benchmark reported an
// error (what did run is still stored). InputError when no benchmark binary is found.
int run_bench(const BenchOptions& options, std::ostream& out);

}  // namespace hecto::bench
