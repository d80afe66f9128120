#include <iostream>

#include "cli/command.h"
#include "results/commands.h"

namespace hecto::cli {

void add_merge_command(CommandContext ctx) {
  auto* sub = ctx.app.add_subcommand("merge", "Merge shard databases");
  auto output = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  sub->add_option("output", *output, "Database to merge into (created when missing)")->required();
  sub->add_option("inputs", *inputs, "Databases to merge from")->required()->check(CLI::ExistingFile);
  sub->callback([&action = ctx.action, output, inputs] {
    action = [output, inputs] { return results::run_merge(*output, *inputs, std::cout); };
  });
}

}  // namespace hecto::cli
