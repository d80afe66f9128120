#include "cli/command.h"
#include "runner/run.h"
#include "runtime/device.h"

namespace hecto::cli {

void add_run_command(CommandContext ctx) {
  auto opts = std::make_shared<runner::RunOptions>();
  auto* sub = ctx.app.add_subcommand("run", "Run the pending cells of an experiment file (resumable)");
  sub->add_option("file", opts->experiment_file, "Experiment TOML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--db", opts->db_path, "Results database")->capture_default_str();
  sub->add_option("--set", opts->overrides, "Override a config key: key=value (repeatable)");
  sub->add_option("--only", opts->only, "Run only the cells whose key holds one of the values: key=v1,v2 (repeatable; all must hold)");
  sub->add_option("--profile", opts->profile, "Profile from the experiment file's [profiles] (paper, cpu, smoke)");
  sub->add_option("--data-dir", opts->data_dir, "Data directory (default: HECTO_DATA_DIR, ./data, ../shared/data)");
  sub->add_option("--shard", opts->shard, "Run only shard i of N: i/N");
  sub->add_option("-j,--jobs", opts->jobs, "Cells at once (a number or auto); cores are split between them")
      ->capture_default_str();
  sub->add_flag("--retry-failed", opts->retry_failed, "Run cells that failed before again");
  sub->add_flag("--no-cache", opts->no_cache, "Naive baseline: no token or frozen-feature cache");
  sub->add_flag("--pad-to-max", opts->pad_to_max, "Naive baseline: pad every batch to max_len");
  sub->add_option("--cache-dir", opts->cache_dir, "Token and feature caches")->capture_default_str();
  sub->add_option("--artifact-dir", opts->artifact_dir, "Where cells with train.save_artifact keep <cell id>/")
      ->capture_default_str();
  sub->add_option("--lease", opts->lease_seconds, "Seconds a running cell's claim lasts without renewal")
      ->capture_default_str();
  opts->device = runtime::default_device_spec();
  sub->add_option("--device", opts->device, "auto, cpu, cuda or cuda:N (default: HECTO_DEVICE or auto)")
      ->capture_default_str();
  sub->add_option("--precision", opts->precision,
                  "auto (bf16 where the device has native bf16), fp32 or bf16: sets train.precision")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  sub->callback([ctx, opts] {
    opts->threads = ctx.global.threads;
    opts->verbosity = ctx.global.verbose - ctx.global.quiet;
    opts->log_file = ctx.global.log_file;
    ctx.action = [opts] { return runner::run_experiment(*opts); };
  });
}

}  // namespace hecto::cli
