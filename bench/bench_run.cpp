#include "bench/bench_run.h"
#include "common/env.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/bench_import.h"
#include "common/error.h"
#include "common/shell.h"
#include "results/format.h"
#include "results/store.h"
#include "runtime/provenance.h"
#include "runtime/runtime.h"

namespace hecto::bench {

using common::shell_quote;
using runtime::fill_process_provenance;

namespace fs = std::filesystem;

namespace {

fs::path default_bench_dir() {
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path("build") / "bench" : exe.parent_path() / "bench";
}

std::vector<fs::path> bench_binaries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    const bool executable = (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
    if (entry.is_regular_file() && executable && name.size() > 6 && name.ends_with("_bench"))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Does the filter select anything in this binary? Asking first keeps "Failed to match any
// benchmarks" noise (and a needless torch start-up per binary run) out of the way.
bool has_matching_benchmarks(const fs::path& binary, const std::string& filter) {
  if (filter.empty()) return true;
  const std::string cmd = shell_quote(binary.string()) +
                          " --benchmark_list_tests=true --benchmark_filter=" + shell_quote(filter) + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return true;
  char buf[256];
  bool any = false;
  while (fgets(buf, sizeof buf, pipe)) any = any || buf[0] != '\n';
  pclose(pipe);
  return any;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string format_value(double v) {
  const double a = std::abs(v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

// benchmark, time, unit, iterations, counters: one row per run.
results::QueryResult summary(const std::vector<BenchRun>& runs) {
  results::QueryResult t;
  t.columns = {"benchmark", "real_time", "unit", "iterations", "counters"};
  for (const auto& run : runs) {
    std::string time, unit, counters;
    for (const auto& f : run.figures) {
      if (f.figure == "real_time") {
        time = format_value(f.value);
        unit = f.unit;
      } else if (f.figure != "cpu_time") {
        counters += (counters.empty() ? "" : "  ") + f.figure + "=" + format_value(f.value);
      }
    }
    t.rows.push_back({run.name, time, unit, std::to_string(run.iterations), counters});
    t.types.push_back({results::ValueType::Text, results::ValueType::Real, results::ValueType::Text,
                       results::ValueType::Integer, results::ValueType::Text});
  }
  return t;
}

}  // namespace

int run_bench(const BenchOptions& options, std::ostream& out) {
  const fs::path dir = options.bench_dir.empty() ? default_bench_dir() : fs::path(options.bench_dir);
  const auto binaries = bench_binaries(dir);
  if (binaries.empty())
    throw common::InputError({dir.string()}, "no benchmark binaries (*_bench) in " + dir.string(),
                             "a build with -DHECTO_BUILD_BENCH=ON (make build), or --bench-dir pointing at its bench/");
  auto store = results::Store::open(options.db_path);
  BenchSource source;
  source.min_time = options.min_time;
  fill_process_provenance(source.provenance);
  // The binaries resolve their thread count as hecto does; pass on what `hecto --threads` chose.
  common::env::set("HECTO_THREADS", std::to_string(runtime::torch_threads()));
  if (!options.device.empty()) common::env::set("HECTO_DEVICE", options.device);

  std::vector<BenchRun> runs;
  std::vector<std::string> errors;
  size_t stored = 0;
  for (const auto& binary : binaries) {
    const std::string name = binary.filename().string();
    if (!has_matching_benchmarks(binary, options.filter)) continue;
    const fs::path json_path = fs::temp_directory_path() / fmt::format("hecto-bench-{}-{}.json", getpid(), name);
    std::string cmd = shell_quote(binary.string()) + " --benchmark_out=" + shell_quote(json_path.string()) +
                      " --benchmark_out_format=json";
    if (!options.filter.empty()) cmd += " --benchmark_filter=" + shell_quote(options.filter);
    if (options.min_time > 0) cmd += fmt::format(" --benchmark_min_time={}", options.min_time);
    // Console progress goes to stderr: stdout keeps only the table.
    cmd += " 1>&2";
    spdlog::info("running {}", name);
    const int status = std::system(cmd.c_str());
    const std::string text = read_file(json_path);
    std::error_code ec;
    fs::remove(json_path, ec);
    if (status == -1 || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) ||
        (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGINT))
      throw common::RunError("interrupted while running " + name + " (earlier binaries' figures are stored)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      errors.push_back(name + " exited with status " +
                       std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
    if (text.empty()) continue;
    try {
      source.binary = name;
      auto import = parse_benchmark_json(text, name);
      for (const auto& r : to_benchmark_records(import, source)) {
        store.record_benchmark(r);
        ++stored;
      }
      for (auto& e : import.errors) errors.push_back(name + ": " + e);
      runs.insert(runs.end(), import.runs.begin(), import.runs.end());
    } catch (const common::RunError& e) {
      errors.push_back(e.what());
    }
  }
  if (runs.empty() && errors.empty()) {
    out << "no benchmark matched" << (options.filter.empty() ? "" : " --filter '" + options.filter + "'") << "\n";
    return 0;
  }
  out << results::format_table(summary(runs));
  out << stored << " figures from " << runs.size() << " benchmark runs stored in " << options.db_path << "\n";
  for (const auto& e : errors) spdlog::error("{}", e);
  return errors.empty() ? 0 : 1;
}

}  // namespace hecto::bench
