// `hecto run` end to end as a user runs it: the smoke matrix runs, a second run does nothing, a
// run killed with SIGKILL resumes and finishes only what was missing, shards merge into the
// same results, and several jobs share one database without running a cell twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "results/store.h"
#include "tests/testing.h"

using hecto::results::Store;
using hecto::testing::run_command;
using hecto::testing::source_dir;
using hecto::testing::TempDir;

namespace {

std::string hecto_bin() { return (hecto::testing::binary_dir() / "hecto").string(); }
std::string smoke_file() { return (source_dir() / "experiments" / "smoke.toml").string(); }

// One command line for the smoke matrix into a test's own database and caches.
std::string run_smoke(const TempDir& dir, const std::string& db, const std::string& extra = "") {
  return hecto_bin() + " run " + smoke_file() + " --db " + (dir / db).string() + " --cache-dir " +
         (dir / "cache").string() + " --data-dir " + hecto::testing::shared_data_dir().string() + " " + extra + " 2>&1";
}

std::string scalar(const std::string& db, const std::string& sql) {
  const auto r = Store::open(db, Store::Mode::ReadOnly).query(sql);
  return r.rows.empty() || r.rows[0].empty() ? "" : r.rows[0][0];
}

// id -> "metric=value;..." of the eval split, to compare two databases cell by cell.
std::map<std::string, std::string> metrics_by_cell(const std::string& db) {
  const auto r = Store::open(db, Store::Mode::ReadOnly)
                     .query(
                         "SELECT cell_id, group_concat(name || '=' || ifnull(value, 'null'), ';') FROM "
                         "(SELECT * FROM metrics ORDER BY cell_id, split, name) GROUP BY cell_id");
  std::map<std::string, std::string> out;
  for (const auto& row : r.rows) out[row[0]] = row[1];
  return out;
}

std::map<std::string, std::string> finished_at_of_done_cells(const std::string& db) {
  const auto r =
      Store::open(db, Store::Mode::ReadOnly).query("SELECT id, finished_at FROM cells WHERE status = 'done'");
  std::map<std::string, std::string> out;
  for (const auto& row : r.rows) out[row[0]] = row[1];
  return out;
}

}  // namespace

TEST(RunSmoke, RunsEveryCellThenASecondRunDoesNothing) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const auto first = run_command(run_smoke(dir, "h.db"));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("8 ran now, 8 done of 8, 0 failed"), std::string::npos) << first.output;
  const std::string db = (dir / "h.db").string();
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM v_results WHERE experiment = 'smoke'"), "8");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells WHERE status = 'done' AND attempts = 1"), "8");
  // Every result carries its provenance and its routing.
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM provenance WHERE torch_version <> '' AND threads >= 1"), "8");
  EXPECT_EQ(scalar(db, "SELECT count(DISTINCT cell_id) FROM routing"), "8");
  const std::string finished = scalar(db, "SELECT group_concat(finished_at) FROM (SELECT * FROM cells ORDER BY id)");

  const auto second = run_command(run_smoke(dir, "h.db"));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("0 ran now, 8 done of 8"), std::string::npos) << second.output;
  EXPECT_EQ(scalar(db, "SELECT group_concat(finished_at) FROM (SELECT * FROM cells ORDER BY id)"), finished);

  const auto status = run_command(hecto_bin() + " status " + smoke_file() + " --db " + db + " --data-dir " +
                                  hecto::testing::shared_data_dir().string() + " 2>&1");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("smoke"), std::string::npos) << status.output;

  const auto query = run_command(hecto_bin() + " query --db " + db +
                                 " --format csv \"SELECT task, count(*) AS n FROM v_results GROUP BY task\" 2>&1");
  EXPECT_EQ(query.exit_code, 0) << query.output;
  EXPECT_NE(query.output.find("agnews,4"), std::string::npos) << query.output;
  const auto write = run_command(hecto_bin() + " query --db " + db + " \"DELETE FROM cells\" 2>&1");
  EXPECT_EQ(write.exit_code, 2) << write.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells"), "8");
}

// Majority-class floors (no training): two tasks, one seed, the SST-2 size set by the profile.
std::string floors_file(int sst2_train_size) {
  return R"(name = "floors"
[defaults]
encoder.source = "random"
data.train_size = 200
data.eval_size = 100
[variants.majority]
model.kind = "majority"
[profiles.p]
[profiles.p.tasks.sst2]
data.train_size = )" +
         std::to_string(sst2_train_size) + R"(
[matrix]
task = ["agnews", "sst2"]
variant = ["majority"]
)";
}

TEST(RunPlans, AChangedProfileLeavesTheEarlierPlansCellsOutOfTheExperiment) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string file = hecto::testing::write_file(dir / "floors.toml", floors_file(300)).string();
  const std::string db = (dir / "h.db").string();
  const std::string run = hecto_bin() + " run " + file + " --profile p --db " + db + " --data-dir " +
                          hecto::testing::shared_data_dir().string();
  ASSERT_EQ(run_command(run + " 2>&1").exit_code, 0);
  const std::string first_sst2 = scalar(db, "SELECT id FROM v_results WHERE task = 'sst2'");

  hecto::testing::write_file(dir / "floors.toml", floors_file(400));
  // A run of part of the plan adds its cells and leaves the earlier ones linked.
  auto part = run_command(run + " --only task=sst2 2>&1");
  ASSERT_EQ(part.exit_code, 0) << part.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM v_results WHERE experiment = 'floors' AND task = 'sst2'"), "2");
  // The whole plan is the experiment as it stands: SST-2's 300-sample cell leaves it.
  const auto whole = run_command(run + " 2>&1");
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  EXPECT_NE(whole.output.find("floors: 1 cells of an earlier plan"), std::string::npos) << whole.output;
  EXPECT_NE(whole.output.find("0 ran now, 2 done of 2"), std::string::npos) << whole.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM v_results WHERE experiment = 'floors'"), "2");
  EXPECT_EQ(scalar(db,
                   "SELECT json_extract(c.config_json, '$.data.train_size') FROM v_results v "
                   "JOIN cells c ON c.id = v.id WHERE v.task = 'sst2'"),
            "400");
  EXPECT_EQ(scalar(db, "SELECT status FROM cells WHERE id = '" + first_sst2 + "'"), "done");  // kept
}

TEST(RunSmoke, KillNineMidRunThenResumeFinishesOnlyWhatWasMissing) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string db = (dir / "h.db").string();
  // Fine-tuned cells are slow enough (about a second each) for the kill to land mid-matrix.
  const std::vector<std::string> args = {hecto_bin(),
                                         "run",
                                         smoke_file(),
                                         "--db",
                                         db,
                                         "--cache-dir",
                                         (dir / "cache").string(),
                                         "--data-dir",
                                         hecto::testing::shared_data_dir().string(),
                                         "--set",
                                         "encoder.mode=\"finetuned\"",
                                         "--set",
                                         "train.epochs=2"};
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // Kill once some but not all cells are done.
  std::string done = "0";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  int status = 0;
  bool exited = false;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    try {
      done = scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'");
    } catch (const std::exception&) {
      continue;  // the database may not exist yet
    }
    if (std::stoi(done) >= 2) break;
  }
  ASSERT_FALSE(exited) << "the run ended by itself (exit status " << WEXITSTATUS(status) << ") before it was killed";
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
  const int done_before = std::stoi(scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"));
  ASSERT_GE(done_before, 2);
  ASSERT_LT(done_before, 8) << "the run finished before it could be killed";
  const auto finished_before = finished_at_of_done_cells(db);

  std::string cmd = hecto_bin() + " run " + smoke_file() + " --db " + db + " --cache-dir " + (dir / "cache").string() +
                    " --data-dir " + hecto::testing::shared_data_dir().string() +
                    " --set 'encoder.mode=\"finetuned\"' --set train.epochs=2 2>&1";
  const auto resumed = run_command(cmd);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find(std::to_string(8 - done_before) + " ran now, 8 done of 8"), std::string::npos)
      << resumed.output;
  EXPECT_EQ(Store::open(db).integrity_check(), "ok");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"), "8");
  // The cells finished before the kill were not run again.
  const auto finished_after = finished_at_of_done_cells(db);
  for (const auto& [id, at] : finished_before) EXPECT_EQ(finished_after.at(id), at) << "cell " << id << " ran again";
}

TEST(RunSmoke, ShardsMergeIntoTheSameResultsAsOneRun) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  ASSERT_EQ(run_command(run_smoke(dir, "whole.db")).exit_code, 0);
  const auto s0 = run_command(run_smoke(dir, "s0.db", "--shard 0/2"));
  const auto s1 = run_command(run_smoke(dir, "s1.db", "--shard 1/2"));
  ASSERT_EQ(s0.exit_code, 0) << s0.output;
  ASSERT_EQ(s1.exit_code, 0) << s1.output;
  const int n0 = std::stoi(scalar((dir / "s0.db").string(), "SELECT count(*) FROM cells WHERE status = 'done'"));
  const int n1 = std::stoi(scalar((dir / "s1.db").string(), "SELECT count(*) FROM cells WHERE status = 'done'"));
  EXPECT_EQ(n0 + n1, 8);

  const std::string merged = (dir / "merged.db").string();
  const auto merge = run_command(hecto_bin() + " merge " + merged + " " + (dir / "s0.db").string() + " " +
                                 (dir / "s1.db").string() + " 2>&1");
  ASSERT_EQ(merge.exit_code, 0) << merge.output;
  EXPECT_EQ(scalar(merged, "SELECT count(*) FROM v_results"), "8");
  // Same cells, same numbers as the unsharded run (the computation is seeded and deterministic).
  EXPECT_EQ(metrics_by_cell(merged), metrics_by_cell((dir / "whole.db").string()));
  // Merging the same shard again adds nothing and reports no conflict.
  const auto again = run_command(hecto_bin() + " merge " + merged + " " + (dir / "s0.db").string() + " 2>&1");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(scalar(merged, "SELECT count(*) FROM cells"), "8");
}

TEST(RunSmoke, TwoJobsShareOneDatabaseAndRunEachCellOnce) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const auto r = run_command(run_smoke(dir, "h.db", "--jobs 2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string db = (dir / "h.db").string();
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells WHERE status = 'done' AND attempts = 1"), "8");
  EXPECT_EQ(Store::open(db).integrity_check(), "ok");
  // Each worker ran with one thread (2 jobs on this suite's 2-core budget never oversubscribe).
  EXPECT_EQ(scalar(db, "SELECT max(threads) FROM provenance"), "1");
  // The last line is the whole run's, not one worker's share.
  EXPECT_NE(r.output.find("8 ran now in 2 workers, 8 done of 8, 0 failed"), std::string::npos) << r.output;
}

// Every spelling of --jobs the CLI accepts starts workers that parse their own command line
// (the attached -j2 once made every worker exit 2).
TEST(RunJobs, EveryFormOfTheJobsOptionRunsTheWorkers) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const auto file = hecto::testing::write_file(dir / "tiny.toml", R"(name = "tiny"
[defaults]
data.task = "sst2"
data.train_size = 32
data.eval_size = 32
data.max_len = 32
train.epochs = 1
[defaults.encoder]
mode = "frozen"
source = "random"
dim = 16
n_layers = 1
n_heads = 2
hidden_dim = 32
[matrix]
seed = [0, 1]
)");
  for (const std::string form : {"-j2", "-j 2", "--jobs=2", "--jobs 2"}) {
    const std::string db = (dir / ("jobs" + std::to_string(form.size()) + form.substr(0, 2) + ".db")).string();
    const auto r =
        run_command(hecto_bin() + " run " + file.string() + " --db " + db + " --cache-dir " + (dir / "cache").string() +
                    " --data-dir " + hecto::testing::shared_data_dir().string() + " " + form + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << form << "\n" << r.output;
    EXPECT_EQ(r.output.find("At Most 1 required"), std::string::npos) << form << "\n" << r.output;
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"), "2") << form;
  }
}
