#include <iostream>

#include "bench/bench_run.h"
#include "cli/command.h"

namespace hecto::cli {

void add_bench_command(CommandContext ctx) {
  auto* sub = ctx.app.add_subcommand("bench", "Run the Google Benchmark suite and store its figures");
  auto opts = std::make_shared<bench::BenchOptions>();
  sub->add_option("--db", opts->db_path, "Results database")->capture_default_str();
  sub->add_option("--filter", opts->filter, "Only benchmarks whose name matches this regex (--benchmark_filter)");
  sub->add_option("--min-time", opts->min_time, "Minimum seconds per benchmark (--benchmark_min_time; default 0.5)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--device", opts->device, "auto, cpu, cuda or cuda:N for the device-aware benchmarks (end_to_end)");
  sub->add_option("--bench-dir", opts->bench_dir, "Folder of the *_bench binaries (default: bench/ beside hecto)")
      ->check(CLI::ExistingDirectory);
  sub->callback([&action = ctx.action, opts] { action = [opts] { return bench::run_bench(*opts, std::cout); }; });
}

}  // namespace hecto::cli
