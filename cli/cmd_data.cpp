// `hecto data check [--data-dir DIR]`: the option wiring; the work is tasks::check_data.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "tasks/data_check.h"

namespace hecto::cli {

void add_data_command(CommandContext ctx) {
  auto* data = ctx.app.add_subcommand("data", "Check and describe the datasets");
  data->require_subcommand(1);
  auto* check = data->add_subcommand(
      "check", "Load every task (and hotpotqa framing); print files with sha256, row counts and label distributions");
  auto data_dir = std::make_shared<std::string>();
  check->add_option("--data-dir", *data_dir, "Dataset root (default: $HECTO_DATA_DIR, ./data, ../shared/data)");
  check->callback([&action = ctx.action, data_dir] {
    action = [data_dir] {
      const auto report = tasks::check_data(*data_dir);
      std::cout << tasks::format_data_check(report);
      return report.loaded_all() ? 0 : 2;
    };
  });
}

}  // namespace hecto::cli
