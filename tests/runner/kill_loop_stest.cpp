// Crash safety under fire: `hecto run` is SIGKILLed at random moments (while starting, encoding
// features, training, evaluating, writing the database) at least 20 times, then run to the end.
// The database must stay intact after every kill, no finished cell may run again, every cell must
// end done exactly once, and the numbers must be bit-identical to an uninterrupted run's, with its
// own cold caches: a kill never leaves a half-written cache file that a later run reads.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "tests/runner/child_process.h"

using namespace hecto::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kCells = 16, kEpochs = 3, kKills = 22;

// Slower than smoke (more samples, three epochs, GRU experts) so kills land inside cells.
const char* kMatrix = R"toml(name = "kill-loop"
[defaults]
data.train_size = 600
data.eval_size = 200
data.max_len = 64
train.epochs = 3
train.lr = 1e-3
train.eval_batch_size = 64

[defaults.encoder]
mode = "frozen"
source = "random"
name = "random-init distilbert dim 64 x 2 (kill loop)"
dim = 64
n_layers = 2
n_heads = 2
hidden_dim = 128

[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]

[matrix]
task = ["sst2", "agnews"]
seed = [0, 1, 2, 3]
batch_size = [16]
variant = ["hecto", "ffnn_ffnn"]
)toml";

std::vector<std::string> run_args(const std::string& toml, const std::string& db, const std::string& cache) {
  return {hecto_binary(),
          "--threads",
          "1",
          "run",
          toml,
          "--db",
          db,
          "--cache-dir",
          cache,
          "--data-dir",
          shared_data_dir().string()};
}

// Every row of the result tables that must not depend on how the run was interrupted.
std::vector<std::vector<std::string>> rows(const std::string& db, const std::string& sql) {
  return hecto::results::Store::open(db, hecto::results::Store::Mode::ReadOnly).query(sql).rows;
}

struct DoneCell {
  std::string finished_at, attempts;
  bool operator==(const DoneCell&) const = default;
};

std::map<std::string, DoneCell> done_cells(const std::string& db) {
  std::map<std::string, DoneCell> out;
  for (const auto& r : rows(db, "SELECT id, finished_at, attempts FROM cells WHERE status = 'done'"))
    out[r[0]] = {r[1], r[2]};
  return out;
}

}  // namespace

TEST(KillLoop, TwentyKillsLoseNothingAndChangeNoNumber) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string toml = write_file(dir / "kill.toml", kMatrix).string();
  const std::string db = (dir / "killed.db").string(), log = (dir / "killed.log").string();

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  // Start-up (torch, plan, register) takes about half a second: a fifth of the kills land there,
  // the rest inside cells.
  std::uniform_int_distribution<int> delay_ms(50, 1400);
  std::map<std::string, DoneCell> finished;  // cells done before some kill, as they were then
  int kills = 0;
  for (int attempt = 0; kills < kKills && attempt < 3 * kKills; ++attempt) {
    const pid_t pid = spawn_logged(run_args(toml, db, (dir / "cache").string()), log);
    const int wait = delay_ms(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    const bool killed = kill(pid, SIGKILL) == 0;
    const int code = wait_for_exit(pid, 60s);
    ASSERT_TRUE(killed && code == 128 + SIGKILL)
        << "run " << attempt << " ended by itself with " << code << " before the kill at " << wait << " ms (seed "
        << seed << "); the matrix is too small for " << kKills << " kills\n"
        << read_text(log);
    ++kills;
    if (!std::filesystem::exists(db)) continue;
    ASSERT_EQ(db_scalar(db, "PRAGMA integrity_check"), "ok") << "after kill " << kills << " (seed " << seed << ")";
    const auto now = done_cells(db);
    for (const auto& [id, cell] : finished) {
      ASSERT_TRUE(now.count(id)) << "cell " << id << " was done and is not any more (seed " << seed << ")";
      EXPECT_EQ(now.at(id), cell) << "cell " << id << " ran again (seed " << seed << ")";
    }
    finished.insert(now.begin(), now.end());
  }
  ASSERT_GE(kills, 20);
  std::cout << kills << " kills (seed " << seed << "); " << finished.size() << " of " << kCells
            << " cells were done before the final run\n";
  ASSERT_LT(static_cast<int>(finished.size()), kCells) << "every cell finished between kills: nothing left to resume";

  const auto final_run = run_command([&] {
    std::string cmd;
    for (const auto& a : run_args(toml, db, (dir / "cache").string())) cmd += "'" + a + "' ";
    return cmd;
  }());
  ASSERT_EQ(final_run.exit_code, 0) << final_run.output;
  EXPECT_NE(final_run.output.find("done of " + std::to_string(kCells) + ", 0 failed"), std::string::npos)
      << final_run.output;

  EXPECT_EQ(db_scalar(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'done'"), std::to_string(kCells));
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status <> 'done' OR owner IS NOT NULL"), "0");
  // Exactly one result per cell: one set of epochs, one timing, no leftovers of killed attempts.
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM epochs"), std::to_string(kCells * kEpochs));
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM timings"), std::to_string(kCells));
  const auto after = done_cells(db);
  for (const auto& [id, cell] : finished) EXPECT_EQ(after.at(id), cell) << "cell " << id << " ran again";

  // The same matrix, never interrupted, into its own database with its own (cold) caches.
  const std::string ref = (dir / "reference.db").string();
  const auto ref_run = run_command([&] {
    std::string cmd;
    for (const auto& a : run_args(toml, ref, (dir / "ref-cache").string())) cmd += "'" + a + "' ";
    return cmd;
  }());
  ASSERT_EQ(ref_run.exit_code, 0) << ref_run.output;
  const std::string metrics = "SELECT cell_id, split, name, value FROM metrics ORDER BY cell_id, split, name";
  const auto got = rows(db, metrics), want = rows(ref, metrics);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_EQ(got, want) << "metrics differ from the uninterrupted run (seed " << seed << ")";
  const std::string losses = "SELECT cell_id, epoch, train_loss, task_loss FROM epochs ORDER BY cell_id, epoch";
  EXPECT_EQ(rows(db, losses), rows(ref, losses));
  const std::string routing = "SELECT * FROM routing ORDER BY 1, 2, 3, 4";
  EXPECT_EQ(rows(db, routing), rows(ref, routing));
}
