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
#include "results/store.h"

namespace hecto::runner {

using common::shell_quote;
using experiment::cell_ids;
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

std::vector<int> all_tasks(int shards) {
  std::vector<int> t(static_cast<size_t>(shards));
  for (int i = 0; i < shards; ++i) t[static_cast<size_t>(i)] = i;
  return t;
}

fs::path shard_db(const SlurmOptions& o, int index) {
  return fs::path(absolute(o.results_dir)) / ("shard-" + std::to_string(index) + ".db");
}

}  // namespace

std::string array_ranges(const std::vector<int>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size();) {
    size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(indices[i]);
    if (j > i) out += "-" + std::to_string(indices[j]);
    i = j + 1;
  }
  return out;
}

std::vector<int> unfinished_shards(const SlurmOptions& o, const Plan& plan) {
  std::vector<int> missing;
  for (int i = 0; i < o.shards; ++i) {
    const auto cells = experiment::cells_for_shard(plan, i, o.shards);
    if (cells.empty()) continue;
    const fs::path db = shard_db(o, i);
    if (!fs::exists(db)) {
      missing.push_back(i);
      continue;
    }
    const auto ids = cell_ids(cells);
    // Read-only: a finished shard's database is never written again, so nothing in it is redone.
    const auto states = results::Store::open(db.string(), results::Store::Mode::ReadOnly).cell_states(ids);
    size_t done = 0;
    for (const auto& s : states) done += s.status == results::CellStatus::Done;
    if (done < ids.size()) {
      spdlog::info("shard {}: {} of {} cells done in {}", i, done, ids.size(), db.string());
      missing.push_back(i);
    }
  }
  return missing;
}

SlurmScripts render_slurm_scripts(const SlurmOptions& o, const std::string& experiment_name, int n_cells,
                                  const std::vector<int>& requested_tasks) {
  validate(o);
  const bool resubmission = o.resubmit_missing;
  const std::vector<int> tasks = requested_tasks.empty() && !resubmission ? all_tasks(o.shards) : requested_tasks;
  for (int t : tasks)
    if (t < 0 || t >= o.shards)
      throw InputError({"--shards " + std::to_string(o.shards)}, "array task " + std::to_string(t) + " is not a shard",
                       "tasks in 0.." + std::to_string(o.shards - 1));
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
  // The full range keeps the plain 0-(N-1) form; a resubmission lists only what is missing.
  // (With nothing left to run, submit.sh does not submit this script.)
  array << "#SBATCH --array=" << (tasks.empty() ? std::string("0") : array_ranges(tasks)) << "\n";
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
  // SQLite is not safe on NFS (its locks and WAL index need one host's memory): each task runs
  // into node-local scratch and copies its database into $RESULTS when hecto returns, finished,
  // failed or cancelled; the merge reads the copies once the whole array has succeeded.
  array << "SHARD=\"$RESULTS/shard-$SLURM_ARRAY_TASK_ID.db\"\n";
  array << "SCRATCH=$(mktemp -d \"${SLURM_TMPDIR:-${TMPDIR:-/tmp}}/hecto-shard.XXXXXX\")\n";
  array << "trap 'rm -rf \"$SCRATCH\"' EXIT\n";
  array << "# A resubmitted task resumes its shard from the copy (and the WAL a killed hecto left).\n";
  array << "if [ -f \"$SHARD\" ]; then cp \"$SHARD\" \"$SCRATCH/shard.db\"; fi\n";
  array << "if [ -f \"$SHARD-wal\" ]; then cp \"$SHARD-wal\" \"$SCRATCH/shard.db-wal\"; fi\n";
  array << "\"$HECTO\" run " << shell_quote(absolute(o.experiment_file)) << " --shard \"$SLURM_ARRAY_TASK_ID/" << n
        << "\" --db \"$SCRATCH/shard.db\"";
  if (!o.profile.empty()) array << " --profile " << shell_quote(o.profile);
  if (!o.data_dir.empty()) array << " --data-dir " << shell_quote(absolute(o.data_dir));
  for (const auto& s : o.overrides) array << " --set " << shell_quote(s);
  for (const auto& s : o.only) array << " --only " << shell_quote(s);
  array << " &\n";
  array << "pid=$!\n";
  array << "# scancel: hecto puts its running cell back to pending and stops; its finished cells are kept.\n";
  array << "trap 'kill -TERM \"$pid\" 2>/dev/null || true' TERM INT\n";
  array << "rc=0\n";
  array << "wait \"$pid\" || rc=$?\n";
  // A trapped signal ends the first wait early (rc > 128); the second returns hecto's own status.
  array << "if [ \"$rc\" -gt 128 ]; then rc=0; wait \"$pid\" || rc=$?; fi\n";
  array << "if [ -f \"$SCRATCH/shard.db\" ]; then\n";
  array << "  cp \"$SCRATCH/shard.db\" \"$SHARD.part\"\n";
  array << "  rm -f \"$SHARD-wal\" \"$SHARD-shm\"\n";
  array << "  # A WAL left behind means hecto was killed: its committed cells are in there.\n";
  array << "  if [ -s \"$SCRATCH/shard.db-wal\" ]; then cp \"$SCRATCH/shard.db-wal\" \"$SHARD-wal\"; fi\n";
  array << "  mv \"$SHARD.part\" \"$SHARD\"\n";
  array << "fi\n";
  array << "exit \"$rc\"\n";

  std::ostringstream merge;
  header(merge, name + "-merge", "hecto-merge-%j.out");
  merge << "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=2G\n#SBATCH --time=01:00:00\n";
  merge << "# Merges the shard databases of " << name << " into one (identical cells are skipped).\n";
  common_lines(merge);
  merge << "exec \"$HECTO\" merge \"$RESULTS/hecto.db\" \"$RESULTS\"/shard-*.db\n";

  std::ostringstream submit;
  const std::string merge_path = shell_quote(out_dir + "/hecto-merge.sbatch");
  submit << "#!/bin/sh\n";
  if (tasks.empty()) {
    submit << "# Every shard database is finished: submits only the merge.\n"
           << "set -eu\n"
           << "merge_job=$(sbatch --parsable " << merge_path << ")\n"
           << "merge_job=${merge_job%%;*}\n"
           << "echo \"submitted merge job $merge_job (every shard was finished)\"\n";
    return {array.str(), merge.str(), submit.str()};
  }
  const std::string what = std::to_string(tasks.size()) + " of " + n + " tasks";
  if (resubmission)
    submit << "# Resubmits the array tasks whose shard database was missing or unfinished (" << array_ranges(tasks)
           << ",\n# " << what << "); finished shards are not run again. Then the merge, once they succeed.\n";
  else
    submit << "# Submits the " << n << "-task array, then the merge, which starts only when every array task\n"
           << "# has succeeded. A task that failed (see its log) or was cancelled leaves the merge waiting:\n"
           << "# scancel it, then `hecto slurm` with the same options and --resubmit-missing writes a\n"
           << "# submit.sh for the unfinished shards only.\n";
  submit << "set -eu\n"
         << "array_job=$(sbatch --parsable " << shell_quote(out_dir + "/hecto-array.sbatch") << ")\n"
         << "array_job=${array_job%%;*}  # --parsable prints id;cluster on federated clusters\n"
         << "merge_job=$(sbatch --parsable --dependency=afterok:\"$array_job\" " << merge_path << ")\n"
         << "merge_job=${merge_job%%;*}\n"
         << "echo \"submitted array job $array_job ("
         << (resubmission ? what + ": " + array_ranges(tasks) : n + " tasks") << ") and merge job $merge_job\"\n";

  return {array.str(), merge.str(), submit.str()};
}

SlurmWriteResult write_slurm_scripts(const SlurmOptions& o) {
  validate(o);
  PlanOptions popts{o.overrides, o.profile, o.data_dir, o.only};
  const Plan plan = load_plan(o.experiment_file, popts);
  SlurmWriteResult result;
  result.n_cells = static_cast<int>(plan.cells.size());
  if (o.shards > result.n_cells)
    spdlog::warn("{} shards for {} cells: {} array tasks will find nothing to do", o.shards, result.n_cells,
                 o.shards - result.n_cells);
  result.tasks = o.resubmit_missing ? unfinished_shards(o, plan) : all_tasks(o.shards);
  const SlurmScripts scripts = render_slurm_scripts(o, plan.experiment, result.n_cells, result.tasks);
  const fs::path dir = absolute(o.output_dir);
  fs::create_directories(dir / "logs");  // Slurm does not create the directory of --output
  write_text(dir / "hecto-array.sbatch", scripts.array_script, true);
  write_text(dir / "hecto-merge.sbatch", scripts.merge_script, true);
  write_text(dir / "submit.sh", scripts.submit_script, true);
  return result;
}

}  // namespace hecto::runner
