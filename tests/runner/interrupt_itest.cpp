// Stopping a run politely: SIGINT (Ctrl-C) or SIGTERM (kill, a scheduler) during a cell exits 130
// with a hint to resume, puts the cell back to pending rather than leaving it `running`, and the
// same command then finishes the matrix. With --jobs the signal reaches the workers too.
#include <gtest/gtest.h>

#include "tests/runner/child_process.h"

using namespace hecto::testing;
using namespace std::chrono_literals;

namespace {

std::string smoke_file() { return (source_dir() / "experiments" / "smoke.toml").string(); }

// Fine-tuned cells take about a second each, so a signal lands inside one.
std::vector<std::string> slow_smoke(const TempDir& dir, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {hecto_binary(),
                                   "--threads",
                                   "1",
                                   "run",
                                   smoke_file(),
                                   "--db",
                                   (dir / "h.db").string(),
                                   "--cache-dir",
                                   (dir / "cache").string(),
                                   "--data-dir",
                                   shared_data_dir().string(),
                                   "--set",
                                   "encoder.mode=\"finetuned\"",
                                   "--set",
                                   "train.epochs=3"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

void interrupt_then_resume(int signal, const std::vector<std::string>& extra = {}) {
  TempDir dir;
  const std::string db = (dir / "h.db").string(), log = (dir / "run.log").string();
  const pid_t pid = spawn_logged(slow_smoke(dir, extra), log);
  ASSERT_TRUE(wait_for_db(db, "SELECT count(*) FROM cells WHERE status = 'running'", 120s)) << read_text(log);
  std::this_thread::sleep_for(400ms);  // into the cell's training steps
  kill(pid, signal);
  const int code = wait_for_exit(pid, 120s);
  const std::string out = read_text(log);
  ASSERT_EQ(code, 130) << out;
  EXPECT_NE(out.find("with the same command"), std::string::npos) << out;
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'running'"), "0") << out;
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE owner IS NOT NULL"), "0") << out;
  const int done = std::stoi(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"));
  ASSERT_LT(done, 8) << "the run finished before the signal: " << out;
  // A cell the signal stopped mid-training was put back: pending, with its one attempt counted.
  if (out.find("was put back to pending") != std::string::npos) {
    EXPECT_NE(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'pending' AND attempts >= 1"), "0") << out;
  }

  auto argv = slow_smoke(dir, extra);
  std::string cmd;
  for (const auto& a : argv) cmd += "'" + a + "' ";
  const auto resumed = run_command(cmd);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const std::string summary = extra.empty() ? " ran now, 8 done of 8" : " ran now in 2 workers, 8 done of 8";
  EXPECT_NE(resumed.output.find(std::to_string(8 - done) + summary), std::string::npos) << resumed.output;
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"), "8");
  EXPECT_EQ(db_scalar(db, "PRAGMA integrity_check"), "ok");
}

}  // namespace

TEST(RunInterrupt, SigintPutsTheCellBackAndExits130) {
  HECTO_REQUIRE_SHARED_DATA();
  interrupt_then_resume(SIGINT);
}

TEST(RunInterrupt, SigtermPutsTheCellBackAndExits130) {
  HECTO_REQUIRE_SHARED_DATA();
  interrupt_then_resume(SIGTERM);
}

// `kill <pid>` of a --jobs run signals only the parent: it must stop its workers, not leave them
// running on in the background.
TEST(RunInterrupt, SigtermToAJobsParentStopsItsWorkers) {
  HECTO_REQUIRE_SHARED_DATA();
  interrupt_then_resume(SIGTERM, {"--jobs", "2"});
}
