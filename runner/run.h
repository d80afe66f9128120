#pragma once
// `hecto run`: plan an experiment file, skip what the database already holds, claim each
// remaining cell with a lease, train and evaluate it, and store it in one transaction.
// Stopping (Ctrl-C, kill, crash) never loses a finished cell; running again resumes.
#include <string>
#include <vector>

#include "results/records.h"

namespace hecto::runner {

struct RunOptions {
  std::string experiment_file;
  std::string db_path = results::kDefaultDbPath;
  std::vector<std::string> overrides;  // --set key=value
  std::vector<std::string> only;       // --only key=v1,v2: a subset of the plan's cells
  std::string profile;
  std::string data_dir;
  std::string shard;       // "i/N" or ""
  std::string jobs = "1";  // a number or "auto"
  int threads = 0;         // torch threads in this process (0: already set)
  bool retry_failed = false;
  bool no_cache = false;    // naive baseline: no token or feature cache
  bool pad_to_max = false;  // naive baseline: pad every batch to max_len
  std::string cache_dir = "cache";
  std::string artifact_dir = "artifacts";  // cells with train.save_artifact keep <cell id>/ here
  int lease_seconds = 1800;
  std::string device = "auto";  // auto | cpu | cuda | cuda:N (runtime/device.h)
  std::string precision;        // auto | fp32 | bf16: sets train.precision ("" = the experiment's)
  // Global options the --jobs workers are started with (worker_command.h).
  int verbosity = 0;  // -v count minus -q count
  std::string log_file;
};

// Returns the exit code: 0 all done, 1 some cell failed, 130 interrupted, 2 bad input (thrown).
int run_experiment(const RunOptions& options);

}  // namespace hecto::runner
