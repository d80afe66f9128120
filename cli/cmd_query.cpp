#include <iostream>

#include "cli/command.h"
#include "results/commands.h"

namespace hecto::cli {

void add_query_command(CommandContext ctx) {
  auto* sub = ctx.app.add_subcommand("query", "Run read-only SQL on the results database");
  auto options = std::make_shared<results::QueryOptions>();
  sub->add_option("--db", options->db_path, "Results database")->capture_default_str();
  sub->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  sub->add_option("sql", options->sql, "SQL: SELECT / WITH / EXPLAIN / reading PRAGMA (views: v_results, v_summary)")
      ->required();
  sub->callback(
      [&action = ctx.action, options] { action = [options] { return results::run_query(*options, std::cout); }; });
}

}  // namespace hecto::cli
