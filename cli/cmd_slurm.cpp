#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "runner/slurm.h"

namespace hecto::cli {

void add_slurm_command(CommandContext ctx) {
  auto opts = std::make_shared<runner::SlurmOptions>();
  auto* sub =
      ctx.app.add_subcommand("slurm", "Write a Slurm job array (one shard per task), a merge job and submit.sh");
  sub->add_option("file", opts->experiment_file, "Experiment TOML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--shards", opts->shards, "Array tasks (shards of the plan)")->required()->check(CLI::PositiveNumber);
  sub->add_option("--output", opts->output_dir, "Directory for the scripts and logs/")->capture_default_str();
  sub->add_option("--results", opts->results_dir, "Directory for the shard databases and hecto.db")
      ->capture_default_str();
  sub->add_option("--set", opts->overrides, "Override a config key: key=value (repeatable, passed to every shard)");
  sub->add_option("--only", opts->only, "Only the cells whose key holds one of the values (repeatable, passed to every shard)");
  sub->add_option("--profile", opts->profile, "Profile from the experiment file's [profiles]");
  sub->add_option("--data-dir", opts->data_dir, "Data directory on the cluster");
  sub->add_option("--partition", opts->partition, "Slurm partition (default: the cluster's)");
  sub->add_option("--time", opts->time, "Time limit per array task (HH:MM:SS)")->capture_default_str();
  sub->add_option("--cpus-per-task", opts->cpus_per_task, "Cores per array task (HECTO_THREADS)")
      ->capture_default_str();
  sub->add_option("--mem", opts->mem, "Memory per array task")->capture_default_str();
  sub->add_flag("--resubmit-missing", opts->resubmit_missing,
                "Only the shards whose database in --results is missing or unfinished (same options as before)");
  sub->callback([ctx, opts] {
    ctx.action = [opts] {
      const auto written = runner::write_slurm_scripts(*opts);
      const auto dir = std::filesystem::absolute(opts->output_dir).lexically_normal();
      const std::string submit = (dir / "submit.sh").string();
      if (opts->resubmit_missing && written.tasks.empty()) {
        std::cout << "every shard database is finished; " << submit << " submits only the merge\n";
      } else {
        std::cout << "wrote " << (dir / "hecto-array.sbatch").string() << " (";
        if (opts->resubmit_missing)
          std::cout << "unfinished shards " << runner::array_ranges(written.tasks) << " of " << opts->shards;
        else
          std::cout << opts->shards << " tasks";
        std::cout << ", " << written.n_cells << " cells), " << (dir / "hecto-merge.sbatch").string() << " and "
                  << submit << "\n";
      }
      if (opts->resubmit_missing)
        std::cout << "an earlier merge job still pending on its failed array (reason DependencyNeverSatisfied) never "
                     "runs: scancel "
                     "it\n";
      std::cout << "submit with: " << submit << "\n";
      return 0;
    };
  });
}

}  // namespace hecto::cli
