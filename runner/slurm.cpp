#include "runner/slurm.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "common/shell.h"
#include "experiment/plan.h"

namespace hecto::runner {

using common::shell_quote;
using experiment::Plan;

using experiment::load_plan;
using experiment::PlanOptions;

namespace fs = std::filesystem;
using common::InputError;

namespace {

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

void check(bool ok, const std::string& flag, const std::string& value, const std::string& expected) {
  if (!ok) throw InputError({flag + " " + value}, "invalid value '" + value + "'", expected);
}

void validate(const SlurmOptions& o) {
  check(o.shards >= 1, "--shards", std::to_string(o.shards), "a number of shards >= 1");
  check(o.cpus_per_task >= 1, "--cpus-per-task", std::to_string(o.cpus_per_task), "a number >= 1");
  // Slurm's forms: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
  check(std::regex_match(o.time, std::regex(R"((\d+-)?\d+(:\d\d){0,2})")), "--time", o.time, "HH:MM:SS or D-HH:MM:SS");
  check(std::regex_match(o.mem, std::regex(R"(\d+[KMGT]?)")), "--mem", o.mem, "a size such as 8G or 16000M");
  check(std::regex_match(o.partition, std::regex(R"([A-Za-z0-9_.,-]*)")), "--partition", o.partition,
        "a partition name (letters, digits, _ . , -)");
}

std::string job_name(const std::string& experiment) {
  std::string s = "hecto-" + experiment;
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
  return s;
}

std::string this_executable() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "hecto" : p.string();
}

void write_text(const fs::path& path, const std::string& text, bool executable) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw common::RunError("cannot write " + path.string());
  out.close();
  if (executable)
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
}

}  // namespace

SlurmScripts render_slurm_scripts(const SlurmOptions& o, const std::string& experiment_name, int n_cells) {
  validate(o);
  const std::string out_dir = absolute(o.output_dir);
  const std::string results = absolute(o.results_dir);
  const std::string work_dir = absolute(o.work_dir.empty() ? fs::current_path().string() : o.work_dir);
  const std::string hecto = o.hecto_binary.empty() ? this_executable() : absolute(o.hecto_binary);
  const std::string n = std::to_string(o.shards);
  const std::string name = job_name(experiment_name);

  auto header = [&](std::ostringstream& s, const std::string& job, const std::string& log) {
    s << "#!/bin/bash\n";
    s << "#SBATCH --job-name=" << job << "\n";
    if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
    s << "#SBATCH --output=" << out_dir << "/logs/" << log << "\n";
  };
  auto common_lines = [&](std::ostringstream& s) {
    s << "set -euo pipefail\n";
    s << "cd " << shell_quote(work_dir) << "  # relative paths in the experiment (encoder.path) resolve here\n";
    s << "HECTO=" << shell_quote(hecto) << "\n";
    s << "RESULTS=" << shell_quote(results) << "\n";
  };

  std::ostringstream array;
  header(array, name, "hecto-%A_%a.out");
  array << "#SBATCH --array=0-" << (o.shards - 1) << "\n";
  array << "#SBATCH --ntasks=1\n";
  array << "#SBATCH --cpus-per-task=" << o.cpus_per_task << "\n";
  array << "#SBATCH --mem=" << o.mem << "\n";
  array << "#SBATCH --time=" << o.time << "\n";
  array << "# Written by `hecto slurm`: " << experiment_name << ", " << n_cells << " cells in " << n
        << " shards. Task i runs the cells whose id falls in shard i\n"
        << "# into its own database; hecto-merge.sbatch merges them when every task has succeeded.\n";
  common_lines(array);
  array << "export HECTO_THREADS=\"${SLURM_CPUS_PER_TASK:-" << o.cpus_per_task << "}\"\n";
  array << "mkdir -p \"$RESULTS\"\n";
  array << "exec \"$HECTO\" run " << shell_quote(absolute(o.experiment_file)) << " --shard \"$SLURM_ARRAY_TASK_ID/" << n
        << "\" --db \"$RESULTS/shard-$SLURM_ARRAY_TASK_ID.db\"";
  if (!o.profile.empty()) array << " --profile " << shell_quote(o.profile);
  if (!o.data_dir.empty()) array << " --data-dir " << shell_quote(absolute(o.data_dir));
  for (const auto& s : o.overrides) array << " --set " << shell_quote(s);
  array << "\n";

  std::ostringstream merge;
  header(merge, name + "-merge", "hecto-merge-%j.out");
  merge << "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=2G\n#SBATCH --time=01:00:00\n";
  merge << "# Merges the shard databases of " << name << " into one (identical cells are skipped).\n";
  common_lines(merge);
  merge << "exec \"$HECTO\" merge \"$RESULTS/hecto.db\" \"$RESULTS\"/shard-*.db\n";

  std::ostringstream submit;
  submit << "#!/bin/sh\n"
         << "# Submits the " << n << "-task array, then the merge, which starts only when every array task\n"
         << "# has succeeded (a task exits non-zero when one of its cells failed: see its log, then\n"
         << "# re-run the array or merge by hand with hecto-merge.sbatch).\n"
         << "set -eu\n"
         << "array_job=$(sbatch --parsable " << shell_quote(out_dir + "/hecto-array.sbatch") << ")\n"
         << "array_job=${array_job%%;*}  # --parsable prints id;cluster on federated clusters\n"
         << "merge_job=$(sbatch --parsable --dependency=afterok:\"$array_job\" "
         << shell_quote(out_dir + "/hecto-merge.sbatch") << ")\n"
         << "merge_job=${merge_job%%;*}\n"
         << "echo \"submitted array job $array_job (" << n << " tasks) and merge job $merge_job\"\n";

  return {array.str(), merge.str(), submit.str()};
}

int write_slurm_scripts(const SlurmOptions& o) {
  validate(o);
  PlanOptions popts{o.overrides, o.profile, o.data_dir};
  const Plan plan = load_plan(o.experiment_file, popts);
  const int n_cells = static_cast<int>(plan.cells.size());
  if (o.shards > n_cells)
    spdlog::warn("{} shards for {} cells: {} array tasks will find nothing to do", o.shards, n_cells,
                 o.shards - n_cells);
  const SlurmScripts scripts = render_slurm_scripts(o, plan.experiment, n_cells);
  const fs::path dir = absolute(o.output_dir);
  fs::create_directories(dir / "logs");  // Slurm does not create the directory of --output
  write_text(dir / "hecto-array.sbatch", scripts.array_script, true);
  write_text(dir / "hecto-merge.sbatch", scripts.merge_script, true);
  write_text(dir / "submit.sh", scripts.submit_script, true);
  return n_cells;
}

}  // namespace hecto::runner
