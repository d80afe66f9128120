// `hecto pretrain`: option wiring only; the work is pretrain::pretrain().
#include <cstdio>
#include <iostream>
#include <memory>

#include "results/records.h"

#include "cli/command.h"
#include "common/logging.h"
#include "pretrain/pretrain.h"
#include "pretrain/record.h"
#include "runtime/device.h"

namespace hecto::cli {

namespace {
struct PretrainArgs {
  std::string config;
  std::string device = runtime::default_device_spec();
  std::string precision;  // "" = the recipe's
  std::string db_path = results::kDefaultDbPath;
  pretrain::PretrainOptions options;
};
}  // namespace

void add_pretrain_command(CommandContext ctx) {
  auto args = std::make_shared<PretrainArgs>();
  auto* sub = ctx.app.add_subcommand(
      "pretrain",
      "Pretrain a DistilBERT-layout encoder (offline track): word vectors, masked LM or replaced-token detection");
  sub->add_option("--config", args->config,
                  "TOML file with a [pretrain] table (e.g. experiments/pretrain/offline-256x4.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--output", args->options.output, "Output directory (default: the recipe's output)");
  sub->add_flag("--resume", args->options.resume, "Continue from the output's checkpoint (error if there is none)");
  sub->add_option("--max-minutes", args->options.max_minutes, "Stop this run after M minutes (checkpoint kept)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-steps", args->options.max_steps, "Stop once S steps are done in total (checkpoint kept)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--db", args->db_path, "Results database that records the run and its loss curve")
      ->capture_default_str();
  sub->add_option("--data-dir", args->options.data_dir,
                  "Data directory (default: HECTO_DATA_DIR, ./data, ../shared/data)");
  sub->add_option("--device", args->device, "auto, cpu, cuda or cuda:N (default: HECTO_DEVICE or auto)")
      ->capture_default_str();
  sub->add_option("--precision", args->precision, "auto, fp32 or bf16: replaces the recipe's precision")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  sub->callback([&action = ctx.action, args] {
    action = [args] {
      auto config = pretrain::parse_pretrain_config(args->config);
      if (!args->precision.empty()) config.precision = args->precision;
      const bool terminal = common::stderr_is_terminal();
      auto options = args->options;
      options.on_progress = pretrain::make_pretrain_progress_printer(terminal);
      options.handle_signals = true;
      options.device = runtime::resolve_device(args->device);
      const auto s = pretrain::pretrain(config, options);
      if (terminal && !s.cached) std::fprintf(stderr, "\n");
      if (s.complete || s.cached) pretrain::record_pretrain_run(args->db_path, config, s);
      if (s.cached) {
        std::cout << "cached: " << s.output << " already holds this recipe's encoder (" << s.steps_done
                  << " steps, final loss " << s.final_loss << ")\n";
        return 0;
      }
      std::cout << (s.complete ? "finished: " : "stopped (" + s.stop_reason + "): ") << s.output << ", "
                << pretrain::describe_training(s) << "\n";
      if (!s.complete) std::cout << "run the same command again to continue from the checkpoint\n";
      return s.interrupted ? 130 : 0;
    };
  });
}

}  // namespace hecto::cli
