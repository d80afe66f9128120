#pragma once
// How a subcommand plugs into the `hecto` command line: it declares its options on a CLI11
// subcommand and, when chosen, leaves behind the action main() runs. Each subcommand's
// option wiring lives in its own cli/cmd_<name>.cpp; its work lives in runner/ or reports/.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace hecto::cli {

struct GlobalOptions {
  int verbose = 0;
  int quiet = 0;
  std::string log_file;
  int threads = 0;  // 0: HECTO_THREADS, else physical cores
  bool version = false;
};

// Returns the process exit code: 0 ok, 1 a run failed, 2 bad input.
using Action = std::function<int()>;

struct CommandContext {
  CLI::App& app;
  GlobalOptions& global;
  Action& action;
};

// Each cli/cmd_<name>.cpp defines one of these.
void add_tokenize_command(CommandContext ctx);
void add_encode_command(CommandContext ctx);
void add_data_command(CommandContext ctx);
void add_plan_command(CommandContext ctx);
void add_run_command(CommandContext ctx);
void add_status_command(CommandContext ctx);
void add_query_command(CommandContext ctx);
void add_merge_command(CommandContext ctx);
void add_slurm_command(CommandContext ctx);
void add_report_command(CommandContext ctx);
void add_bench_command(CommandContext ctx);
void add_pretrain_command(CommandContext ctx);
void add_explain_command(CommandContext ctx);

}  // namespace hecto::cli
