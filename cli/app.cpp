#include "cli/app.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/command.h"
#include "common/error.h"
#include "common/logging.h"
#include "runtime/build_info.h"
#include "runtime/runtime.h"
#include "runtime/torch_error.h"

namespace hecto::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"hecto-bench: reproduce and extend 'Hecto: Modular Sparse Experts' (arXiv 2506.22919)", "hecto"};
  app.require_subcommand(0, 1);
  GlobalOptions global;
  Action action;

  app.add_flag("--version", global.version, "Print build provenance (commit, compiler, LibTorch, BLAS, threads)");
  app.add_flag("-v,--verbose", global.verbose, "More log output (repeat for more)");
  app.add_flag("-q,--quiet", global.quiet, "Less log output (repeat for less)");
  app.add_option("--log-file", global.log_file, "Also append log lines to this file");
  app.add_option("--threads", global.threads, "Torch intra-op threads (default: HECTO_THREADS or physical cores)")
      ->check(CLI::PositiveNumber);

  CommandContext ctx{app, global, action};
  add_plan_command(ctx);
  add_run_command(ctx);
  add_status_command(ctx);
  add_report_command(ctx);
  add_query_command(ctx);
  add_merge_command(ctx);
  add_slurm_command(ctx);
  add_data_command(ctx);
  add_tokenize_command(ctx);
  add_encode_command(ctx);
  add_bench_command(ctx);
  add_pretrain_command(ctx);
  add_explain_command(ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  common::setup_logging({global.verbose - global.quiet, global.log_file});
  runtime::set_torch_threads(runtime::resolve_threads(global.threads));

  if (global.version) {
    std::cout << runtime::describe_build(global.verbose > 0);
    return 0;
  }
  if (!action) {
    std::cout << app.help();
    return app.get_subcommands().empty() ? 2 : 0;
  }
  try {
    return action();
  } catch (const common::InputError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const common::RunError& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception& e) {
    // Torch errors among them: one line here, the backtrace only in the debug log.
    spdlog::error("{}", runtime::one_line(e));
    return 1;
  }
}

}  // namespace hecto::cli
