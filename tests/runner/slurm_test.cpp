#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/shell.h"
#include "experiment/plan.h"
#include "runner/slurm.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::common::shell_quote;
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
  o.profile = "cpu";
  o.partition = "short";
  o.time = "02:30:00";
  o.cpus_per_task = 8;
  o.mem = "16G";
  o.hecto_binary = "/opt/hecto/bin/hecto";
  o.work_dir = "/work/checkout";
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
  const std::string run = "exec \"$HECTO\" run '" + (dir / "exp.toml").string() +
                          "' --shard \"$SLURM_ARRAY_TASK_ID/4\" --db \"$RESULTS/shard-$SLURM_ARRAY_TASK_ID.db\""
                          " --profile 'cpu' --set 'train.lr=3e-5' --set 'model.experts=[\"gru\",\"gru\"]'\n";
  EXPECT_NE(a.find(run), std::string::npos) << a;
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
  write_file(data / "agnews.txt", "a");
  hecto::experiment::set_data_files_hook([](const hecto::experiment::Config& c, const std::string& d) {
    return std::vector<std::string>{d + "/agnews.txt"};
  });
  write_file(dir / "exp.toml", "name = \"s\"\n[defaults]\nencoder.source = \"random\"\n[matrix]\nseed = [0, 1, 2]\n");
  SlurmOptions o;
  o.experiment_file = (dir / "exp.toml").string();
  o.shards = 3;
  o.output_dir = (dir / "slurm").string();
  o.results_dir = (dir / "results").string();
  o.data_dir = data.path().string();
  o.hecto_binary = "/usr/bin/true";
  EXPECT_EQ(write_slurm_scripts(o), 3);
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
