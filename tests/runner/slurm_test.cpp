#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/shell.h"
#include "experiment/plan.h"
#include "results/store.h"
#include "runner/slurm.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::common::shell_quote;
using hecto::runner::array_ranges;
using hecto::runner::render_slurm_scripts;
using hecto::runner::SlurmOptions;
using hecto::runner::write_slurm_scripts;
using hecto::testing::run_command;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

SlurmOptions options(const TempDir& dir) {
  SlurmOptions o;
  o.experiment_file = (dir / "exp.toml").string();
  o.shards = 4;
  o.output_dir = (dir / "slurm").string();
  o.results_dir = (dir / "results").string();
  o.overrides = {"train.lr=3e-5", "model.experts=[\"gru\",\"gru\"]"};
  o.only = {"task=sst2"};
  o.profile = "cpu";
  o.partition = "short";
  o.time = "02:30:00";
  o.cpus_per_task = 8;
  o.mem = "16G";
  o.hecto_binary = "/opt/hecto/bin/hecto";
  o.work_dir = "/work/checkout";
  return o;
}

// Three shards of a random-encoder matrix over `seeds` (a TOML array), with one fake data file
// in `data`, hecto replaced by /usr/bin/true: what the write-and-submit tests share.
SlurmOptions three_shards(const TempDir& dir, const TempDir& data, const std::string& seeds) {
  write_file(data / "agnews.txt", "a");
  hecto::experiment::set_data_files_hook([](const hecto::experiment::Config&, const std::string& d) {
    return std::vector<std::string>{d + "/agnews.txt"};
  });
  write_file(dir / "exp.toml", "name = \"s\"\n[defaults]\nencoder.source = \"random\"\n[matrix]\nseed = " + seeds + "\n");
  SlurmOptions o;
  o.experiment_file = (dir / "exp.toml").string();
  o.shards = 3;
  o.output_dir = (dir / "slurm").string();
  o.results_dir = (dir / "results").string();
  o.data_dir = data.path().string();
  o.hecto_binary = "/usr/bin/true";
  return o;
}

}  // namespace

TEST(Slurm, ArrayScriptRunsOneShardPerTask) {
  TempDir dir;
  const auto s = render_slurm_scripts(options(dir), "paper-main", 36);
  const std::string& a = s.array_script;
  EXPECT_EQ(a.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_NE(a.find("#SBATCH --array=0-3\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --job-name=hecto-paper-main\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --partition=short\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --time=02:30:00\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --cpus-per-task=8\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --mem=16G\n"), std::string::npos) << a;
  EXPECT_NE(a.find("#SBATCH --output=" + (dir / "slurm").string() + "/logs/hecto-%A_%a.out"), std::string::npos) << a;
  EXPECT_NE(a.find("export HECTO_THREADS=\"${SLURM_CPUS_PER_TASK:-8}\""), std::string::npos) << a;
  EXPECT_NE(a.find("cd '/work/checkout'"), std::string::npos) << a;
  EXPECT_NE(a.find("HECTO='/opt/hecto/bin/hecto'"), std::string::npos) << a;
  EXPECT_NE(a.find("RESULTS='" + (dir / "results").string() + "'"), std::string::npos) << a;
  const std::string run = "\"$HECTO\" run '" + (dir / "exp.toml").string() +
                          "' --shard \"$SLURM_ARRAY_TASK_ID/4\" --db \"$SCRATCH/shard.db\""
                          " --profile 'cpu' --set 'train.lr=3e-5' --set 'model.experts=[\"gru\",\"gru\"]'"
                          " --only 'task=sst2' &\n";
  EXPECT_NE(a.find(run), std::string::npos) << a;
  EXPECT_NE(a.find("SHARD=\"$RESULTS/shard-$SLURM_ARRAY_TASK_ID.db\""), std::string::npos) << a;
}

TEST(Slurm, MergeWaitsForTheWholeArray) {
  TempDir dir;
  const auto s = render_slurm_scripts(options(dir), "paper-main", 36);
  EXPECT_NE(s.merge_script.find("exec \"$HECTO\" merge \"$RESULTS/hecto.db\" \"$RESULTS\"/shard-*.db\n"),
            std::string::npos)
      << s.merge_script;
  EXPECT_EQ(s.merge_script.find("--array"), std::string::npos);
  const std::string slurm = (dir / "slurm").string();
  EXPECT_NE(s.submit_script.find("array_job=$(sbatch --parsable '" + slurm + "/hecto-array.sbatch')"),
            std::string::npos)
      << s.submit_script;
  EXPECT_NE(
      s.submit_script.find("sbatch --parsable --dependency=afterok:\"$array_job\" '" + slurm + "/hecto-merge.sbatch'"),
      std::string::npos)
      << s.submit_script;
}

TEST(Slurm, PathsAreAbsolute) {
  SlurmOptions o;
  o.experiment_file = "experiments/smoke.toml";
  o.shards = 2;
  o.output_dir = "out/slurm";
  o.results_dir = "results";
  o.hecto_binary = "build/hecto";
  const auto s = render_slurm_scripts(o, "smoke", 8);
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_NE(s.array_script.find("run '" + cwd + "/experiments/smoke.toml'"), std::string::npos) << s.array_script;
  EXPECT_NE(s.array_script.find("HECTO='" + cwd + "/build/hecto'"), std::string::npos) << s.array_script;
  EXPECT_NE(s.array_script.find("RESULTS='" + cwd + "/results'"), std::string::npos) << s.array_script;
  EXPECT_NE(s.array_script.find("cd '" + cwd + "'"), std::string::npos) << s.array_script;
  EXPECT_NE(s.submit_script.find("'" + cwd + "/out/slurm/hecto-merge.sbatch'"), std::string::npos) << s.submit_script;
  EXPECT_EQ(s.array_script.find("--partition"), std::string::npos);  // none given: the cluster's default
}

TEST(Slurm, BadOptionsAreInputErrors) {
  TempDir dir;
  auto o = options(dir);
  o.time = "2 hours";
  EXPECT_THROW(render_slurm_scripts(o, "x", 1), InputError);
  o = options(dir);
  o.shards = 0;
  EXPECT_THROW(render_slurm_scripts(o, "x", 1), InputError);
  o = options(dir);
  o.mem = "lots";
  EXPECT_THROW(render_slurm_scripts(o, "x", 1), InputError);
  o = options(dir);
  o.time = "1-12:00:00";
  EXPECT_NO_THROW(render_slurm_scripts(o, "x", 1));
}

TEST(Slurm, ShellQuoteSurvivesQuotes) {
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  const auto r = run_command("printf '%s' " + shell_quote("x='y' \"$HOME\" `z`"));
  EXPECT_EQ(r.output, "x='y' \"$HOME\" `z`");
}

// Writes the scripts for a real plan, checks their shell syntax, and runs submit.sh against a
// fake sbatch to see the merge submitted with the array's job id.
TEST(Slurm, WrittenScriptsSubmitTheMergeAfterTheArray) {
  TempDir dir, data;
  const SlurmOptions o = three_shards(dir, data, "[0, 1, 2]");
  EXPECT_EQ(write_slurm_scripts(o).n_cells, 3);
  hecto::experiment::set_data_files_hook({});

  const auto slurm = dir / "slurm";
  for (const char* f : {"hecto-array.sbatch", "hecto-merge.sbatch", "submit.sh"}) {
    ASSERT_TRUE(std::filesystem::exists(slurm / f)) << f;
    EXPECT_EQ(run_command("bash -n " + (slurm / f).string()).exit_code, 0) << f;
  }
  EXPECT_TRUE(std::filesystem::is_directory(slurm / "logs"));
  EXPECT_NE(read(slurm / "hecto-array.sbatch").find("--data-dir '" + data.path().string() + "'"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(stat((slurm / "submit.sh").c_str(), &st), 0);
  EXPECT_TRUE(st.st_mode & S_IXUSR);

  write_file(dir / "bin/sbatch",
             "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/calls\"\n"
             "case \"$*\" in *dependency*) echo 778 ;; *) echo '777;cluster' ;; esac\n");
  std::filesystem::permissions(dir / "bin/sbatch", std::filesystem::perms::owner_all);
  const auto r = run_command("PATH=" + (dir / "bin").string() + ":$PATH sh " + (slurm / "submit.sh").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("submitted array job 777 (3 tasks) and merge job 778"), std::string::npos) << r.output;
  const std::string calls = read(dir / "bin/calls");
  EXPECT_NE(calls.find("--parsable " + (slurm / "hecto-array.sbatch").string()), std::string::npos) << calls;
  EXPECT_NE(calls.find("--parsable --dependency=afterok:777 " + (slurm / "hecto-merge.sbatch").string()),
            std::string::npos)
      << calls;
}

TEST(Slurm, BadExperimentFailsBeforeWritingAnything) {
  TempDir dir;
  write_file(dir / "exp.toml", "name = \"s\"\n[defaults]\ntrain.epoch = 3\n");
  SlurmOptions o;
  o.experiment_file = (dir / "exp.toml").string();
  o.shards = 2;
  o.output_dir = (dir / "slurm").string();
  EXPECT_THROW(write_slurm_scripts(o), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "slurm"));
}

TEST(Slurm, ArrayRangesAreSlurmsCompactForm) {
  EXPECT_EQ(array_ranges({}), "");
  EXPECT_EQ(array_ranges({2}), "2");
  EXPECT_EQ(array_ranges({0, 1, 2, 3}), "0-3");
  EXPECT_EQ(array_ranges({1, 3, 4}), "1,3-4");
  EXPECT_EQ(array_ranges({0, 1, 3, 4, 5, 7}), "0-1,3-5,7");
}

namespace {

// A fake `hecto` for running the array script outside Slurm: it appends "run;" to its --db file's
// first line (so a resumed shard shows what it started from) and, with HANG set, waits for SIGTERM like a
// cell in training, then appends "interrupted;" and exits 130 as hecto does.
void write_fake_hecto(const std::filesystem::path& path) {
  write_file(path,
             "#!/bin/bash\n"
             "db=\n"
             "while [ $# -gt 0 ]; do if [ \"$1\" = --db ]; then db=$2; fi; shift; done\n"
             "prev=$(cat \"$db\" 2>/dev/null || true)\n"
             "echo \"${prev}run;\" > \"$db\"\n"
             "if [ -n \"${HANG:-}\" ]; then\n"
             "  trap 'echo \"${prev}run;interrupted;\" > \"$db\"; exit 130' TERM\n"
             "  touch \"$HANG\"\n"
             "  while :; do sleep 0.05; done\n"
             "fi\n");
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

}  // namespace

// The array task runs into scratch and copies its database into the results directory when
// hecto returns: after a normal end, after a cancellation (SIGTERM, as scancel sends), and a
// resubmitted task starts from the copy.
TEST(Slurm, ArrayTaskCopiesItsShardOutOfScratchAlsoWhenCancelled) {
  TempDir dir;
  write_fake_hecto(dir / "fake-hecto");
  auto o = options(dir);
  o.hecto_binary = (dir / "fake-hecto").string();
  o.work_dir = dir.path().string();
  const auto s = render_slurm_scripts(o, "x", 8);
  write_file(dir / "array.sbatch", s.array_script);
  const std::string env = "SLURM_ARRAY_TASK_ID=1 TMPDIR=" + shell_quote(dir.path().string()) + " ";
  const auto shard = dir / "results" / "shard-1.db";

  auto r = run_command(env + "bash " + shell_quote((dir / "array.sbatch").string()));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(read(shard), "run;\n");

  // Cancelled mid-run: the signal reaches the script, which passes it on and still copies.
  const std::string ready = (dir / "ready").string();
  r = run_command(env + "HANG=" + shell_quote(ready) + " bash " + shell_quote((dir / "array.sbatch").string()) +
                  " & p=$!; for i in $(seq 200); do [ -e " + shell_quote(ready) +
                  " ] && break; sleep 0.05; done; kill -TERM $p; wait $p; echo rc=$?");
  EXPECT_NE(r.output.find("rc=130"), std::string::npos) << r.output;
  EXPECT_EQ(read(shard), "run;run;interrupted;\n") << "the resumed run started from the first copy";
  EXPECT_FALSE(std::filesystem::exists(dir / "results" / "shard-1.db.part"));
  // Scratch is removed (only the fake, the script, the ready file and results/ remain).
  int scratch_dirs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    scratch_dirs += e.path().filename().string().rfind("hecto-shard.", 0) == 0;
  EXPECT_EQ(scratch_dirs, 0);
}

// --resubmit-missing: a shard whose database holds all its cells done is not submitted again
// (and its database is not written); a shard with an unfinished cell or no database is.
TEST(Slurm, ResubmitMissingSubmitsOnlyUnfinishedShards) {
  TempDir dir, data;
  SlurmOptions o = three_shards(dir, data, "[0, 1, 2, 3, 4, 5, 6, 7]");
  o.resubmit_missing = true;
  const auto plan = hecto::experiment::load_plan(o.experiment_file, {{}, "", o.data_dir, {}});

  // Shard 0: every cell done. Shard 1: all but one done. Shard 2: no database.
  using hecto::results::Store;
  std::vector<int> expected;
  for (int i = 0; i < 3; ++i) {
    const auto cells = hecto::experiment::cells_for_shard(plan, i, 3);
    if (i > 0 && !cells.empty()) expected.push_back(i);
    if (i == 2 || cells.empty()) continue;
    auto store = Store::open((dir / "results" / ("shard-" + std::to_string(i) + ".db")).string());
    std::vector<hecto::results::CellSpec> specs;
    for (const auto& c : cells) specs.push_back({c.id, "s", "{}", {}});
    store.register_experiment("s", o.experiment_file, "", specs);
    for (size_t k = 0; k < cells.size(); ++k) {
      if (i == 1 && k == 0) continue;
      ASSERT_TRUE(store.claim_cell(cells[k].id, "test:1", 60, false));
      hecto::results::CellResult r;
      r.cell_id = cells[k].id;
      r.metrics["test"] = {{"accuracy", 0.5}};
      store.finish_cell(r);
    }
  }
  ASSERT_FALSE(expected.empty());
  const auto shard0 = dir / "results" / "shard-0.db";
  const std::string before = std::filesystem::exists(shard0) ? read(shard0) : "";

  const auto written = write_slurm_scripts(o);
  hecto::experiment::set_data_files_hook({});
  EXPECT_EQ(written.tasks, expected);
  const std::string array = read(dir / "slurm" / "hecto-array.sbatch");
  EXPECT_NE(array.find("#SBATCH --array=" + array_ranges(expected) + "\n"), std::string::npos) << array;
  EXPECT_NE(read(dir / "slurm" / "submit.sh").find("--dependency=afterok"), std::string::npos);
  if (std::filesystem::exists(shard0)) {
    EXPECT_EQ(read(shard0), before);
  }

  // Everything finished: submit.sh submits the merge alone.
  const auto all_done = render_slurm_scripts(o, "s", 8, {});
  EXPECT_EQ(all_done.submit_script.find("hecto-array.sbatch"), std::string::npos) << all_done.submit_script;
  EXPECT_NE(all_done.submit_script.find("hecto-merge.sbatch"), std::string::npos) << all_done.submit_script;
}
