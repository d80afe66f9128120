#include <iostream>

#include "cli/command.h"
#include "runner/plan_summary.h"

namespace hecto::cli {

void add_plan_command(CommandContext ctx) {
  auto opts = std::make_shared<runner::PlanViewOptions>();
  auto* sub = ctx.app.add_subcommand("plan", "Expand an experiment file into cells (ids, varying axes, cost, done)");
  sub->add_option("file", opts->file, "Experiment TOML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--set", opts->plan.overrides, "Override a config key: key=value (repeatable)");
  sub->add_option("--only", opts->plan.only, "Only the cells whose key holds one of the values: key=v1,v2 (repeatable)");
  sub->add_option("--profile", opts->plan.profile, "Profile from the experiment file's [profiles]");
  sub->add_option("--data-dir", opts->plan.data_dir,
                  "Data directory (default: HECTO_DATA_DIR, ./data, ../shared/data)");
  sub->add_option("--db", opts->db_path, "Results database, to count cells already done")->capture_default_str();
  sub->add_flag("--json", opts->json, "Print the plan as JSON (every cell's full config)");
  sub->callback([ctx, opts] { ctx.action = [opts] { return runner::print_plan(*opts, std::cout); }; });
}

}  // namespace hecto::cli
