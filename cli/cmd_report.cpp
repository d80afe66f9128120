#include <iostream>

#include "cli/command.h"
#include "reports/report_command.h"

namespace hecto::cli {

void add_report_command(CommandContext ctx) {
  auto* sub = ctx.app.add_subcommand("report", "Render the paper's tables and plots from the results database");
  auto options = std::make_shared<reports::ReportOptions>();
  sub->add_option("--db", options->db_path, "Results database (read only)")->capture_default_str();
  sub->add_option("--experiment", options->experiments,
                  "Only this experiment (repeatable; default: every experiment in the database)");
  sub->add_option("--format", options->format, "Which outputs to write")
      ->check(CLI::IsMember({"md", "latex", "csv", "html", "all"}))
      ->capture_default_str();
  sub->add_option("--out", options->out_dir, "Output folder; files go to OUT/<profile>/")->capture_default_str();
  sub->add_option("--profile", options->profile,
                  "Name of the output subfolder (default: paper, cpu or smoke from the cells' encoder, else default)");
  sub->add_option("--reference", options->reference_path,
                  "The paper's figures (default: reports/paper_reference.json in the working directory, its "
                  "parents, or the source tree)");
  sub->callback(
      [&action = ctx.action, options] { action = [options] { return reports::run_report(*options, std::cout); }; });
}

}  // namespace hecto::cli
