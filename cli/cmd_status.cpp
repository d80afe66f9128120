#include <iostream>

#include "cli/command.h"
#include "runner/plan_summary.h"

namespace hecto::cli {

void add_status_command(CommandContext ctx) {
  auto opts = std::make_shared<runner::StatusOptions>();
  auto* sub = ctx.app.add_subcommand("status", "Show done / failed / running / pending cells per experiment");
  sub->add_option("files", opts->files, "Experiment TOML files")->required()->check(CLI::ExistingFile);
  sub->add_option("--db", opts->db_path, "Results database")->capture_default_str();
  sub->add_option("--set", opts->plan.overrides, "The --set overrides the experiment was run with (repeatable)");
  sub->add_option("--only", opts->plan.only, "The --only filters the experiment was run with (repeatable)");
  sub->add_option("--profile", opts->plan.profile, "The profile the experiment was run with");
  sub->add_option("--data-dir", opts->plan.data_dir,
                  "Data directory (default: HECTO_DATA_DIR, ./data, ../shared/data)");
  sub->callback([ctx, opts] { ctx.action = [opts] { return runner::print_status(*opts, std::cout); }; });
}

}  // namespace hecto::cli
