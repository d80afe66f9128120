#pragma once
// Reads what a Google Benchmark binary wrote with --benchmark_format=json (or
// --benchmark_out_format=json) and turns it into results-database rows: one per figure
// (real_time, cpu_time and every counter) of every run, named "<benchmark> <figure>".
// No process spawning here: `hecto bench` (bench_run.h) runs the binaries.
#include <cstdint>
#include <string>
#include <vector>

#include "results/records.h"

namespace hecto::bench {

struct BenchFigure {
  std::string figure;  // "real_time", "cpu_time", or the counter's key ("GFLOP/s", "items_per_second", ...)
  double value = 0;
  std::string unit;  // time unit ("ms"), the key when it reads as a unit ("tokens/s"), "items/s", ...
};

struct BenchRun {
  std::string name;       // the benchmark's full name less "/real_time", e.g. "encoder_forward/base_dynamic/batch:16"
  std::string run_name;   // without an aggregate suffix
  std::string aggregate;  // "mean", "median", ... for repetition aggregates; "" for a plain run
  std::string label;
  int64_t iterations = 0;
  int64_t threads = 1;  // benchmark threads (not torch's)
  std::vector<BenchFigure> figures;
};

struct BenchImport {
  std::vector<BenchRun> runs;
  std::vector<std::string> errors;  // "<benchmark>: <message>" for runs that failed or were skipped
  // The JSON's "context": the benchmark process's own provenance (bench_main adds hecto_commit,
  // libtorch, blas, blas_core, torch_threads, cpu) plus Google Benchmark's (host_name, ...).
  std::vector<std::pair<std::string, std::string>> context;
};

// Throws RunError naming `source` when the text is not a Google Benchmark JSON document.
BenchImport parse_benchmark_json(const std::string& json_text, const std::string& source);

// Where the numbers came from, beyond the JSON itself.
struct BenchSource {
  std::string binary;              // e.g. "encoder_bench"
  double min_time = 0;             // --benchmark_min_time given (0 = the library's default)
  results::Provenance provenance;  // this process's; the JSON context overrides what it names
};

// One record per figure. params_json holds binary, benchmark (run name), figure, iterations,
// threads, label, aggregate and min_time. Provenance: source.provenance with the context's
// hecto_commit ("-dirty" suffix = dirty), libtorch, blas, blas_core, torch_threads, cpu and
// host_name taken over, since they describe the process that ran the benchmark.
std::vector<results::BenchmarkRecord> to_benchmark_records(const BenchImport& import, const BenchSource& source);

}  // namespace hecto::bench
