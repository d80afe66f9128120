#pragma once
// `hecto slurm`: a Slurm job array that runs an experiment in N shards, each into its own
// database, and a merge job that starts once every shard has succeeded.
#include <string>
#include <vector>

#include "experiment/plan.h"

namespace hecto::runner {

struct SlurmOptions {
  std::string experiment_file;
  int shards = 1;
  std::string output_dir = "slurm";     // where the scripts and logs/ go
  std::string results_dir = "results";  // shard databases and the merged hecto.db
  std::vector<std::string> overrides;   // --set, passed on to every shard
  std::vector<std::string> only;        // --only, likewise: the shards split the selected cells
  std::string profile;
  std::string data_dir;
  std::string partition;  // "" = the cluster's default
  std::string time = "24:00:00";
  int cpus_per_task = 2;
  std::string mem = "8G";
  std::string hecto_binary;  // "" = this executable
  std::string work_dir;      // "" = the current directory (relative encoder paths resolve here)
  // Submit only the array tasks whose shard database is missing or unfinished (after a task was
  // cancelled, timed out or lost its node), then the merge.
  bool resubmit_missing = false;
};

struct SlurmScripts {
  std::string array_script;   // hecto-array.sbatch
  std::string merge_script;   // hecto-merge.sbatch
  std::string submit_script;  // submit.sh
};

// The scripts' text, every path absolute. `tasks` are the array indices to submit (empty: all
// of 0..shards-1; when every shard is finished, submit.sh submits only the merge). Throws
// InputError for shards < 1 or a malformed --time, --mem, --partition or --cpus-per-task.
SlurmScripts render_slurm_scripts(const SlurmOptions& options, const std::string& experiment_name, int n_cells,
                                  const std::vector<int>& tasks = {});

// Slurm's compact --array form of sorted, distinct indices: {0, 1, 3, 4, 5, 7} -> "0-1,3-5,7".
std::string array_ranges(const std::vector<int>& indices);

// A shard is finished when it plans no cells, or its database (results_dir/shard-i.db) holds
// every one of its cells as done. The others, in order: what a resubmission has to run.
std::vector<int> unfinished_shards(const SlurmOptions& options, const experiment::Plan& plan);

struct SlurmWriteResult {
  int n_cells = 0;
  std::vector<int> tasks;  // the array indices submit.sh submits
};

// Checks the plan (so a bad file fails here, not on the cluster), writes the three scripts
// (submit.sh executable) and creates logs/. With resubmit_missing, the array holds only the
// unfinished shards.
SlurmWriteResult write_slurm_scripts(const SlurmOptions& options);

}  // namespace hecto::runner
