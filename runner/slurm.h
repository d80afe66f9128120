#pragma once
// `hecto slurm`: a Slurm job array that runs an experiment in N shards, each into its own
// database, and a merge job that starts once every shard has succeeded.
#include <string>
#include <vector>

namespace hecto::runner {

struct SlurmOptions {
  std::string experiment_file;
  int shards = 1;
  std::string output_dir = "slurm";     // where the scripts and logs/ go
  std::string results_dir = "results";  // shard databases and the merged hecto.db
  std::vector<std::string> overrides;   // --set, passed on to every shard
  std::string profile;
  std::string data_dir;
  std::string partition;  // "" = the cluster's default
  std::string time = "24:00:00";
  int cpus_per_task = 2;
  std::string mem = "8G";
  std::string hecto_binary;  // "" = this executable
  std::string work_dir;      // "" = the current directory (relative encoder paths resolve here)
};

struct SlurmScripts {
  std::string array_script;   // hecto-array.sbatch
  std::string merge_script;   // hecto-merge.sbatch
  std::string submit_script;  // submit.sh
};

// The scripts' text, every path absolute. Throws InputError for shards < 1 or a malformed
// --time, --mem, --partition or --cpus-per-task.
SlurmScripts render_slurm_scripts(const SlurmOptions& options, const std::string& experiment_name, int n_cells);

// Checks the plan (so a bad file fails here, not on the cluster), writes the three scripts
// (submit.sh executable) and creates logs/. Returns the number of cells in the plan.
int write_slurm_scripts(const SlurmOptions& options);

}  // namespace hecto::runner
