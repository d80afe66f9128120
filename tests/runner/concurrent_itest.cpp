// Two independent `hecto run` processes started together on one matrix, one database and one cache
// directory (two terminals, two array tasks on a shared disk): the leases in the database decide
// who runs what, so every cell runs exactly once and both processes finish cleanly.
#include <gtest/gtest.h>

#include <regex>

#include "tests/runner/child_process.h"

using namespace hecto::testing;
using namespace std::chrono_literals;

namespace {

int ran_now(const std::string& log) {
  std::smatch m;
  const std::string text = read_text(log);
  return std::regex_search(text, m, std::regex("(\\d+) ran now")) ? std::stoi(m[1]) : -1;
}

}  // namespace

TEST(RunConcurrent, TwoProcessesOnOneDatabaseRunEachCellOnce) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string db = (dir / "h.db").string();
  const std::vector<std::string> argv = {hecto_binary(),
                                         "--threads",
                                         "1",
                                         "run",
                                         (source_dir() / "experiments" / "smoke.toml").string(),
                                         "--db",
                                         db,
                                         "--cache-dir",
                                         (dir / "cache").string(),
                                         "--data-dir",
                                         shared_data_dir().string()};
  const pid_t a = spawn_logged(argv, (dir / "a.log").string());
  const pid_t b = spawn_logged(argv, (dir / "b.log").string());
  const int code_a = wait_for_exit(a, 300s), code_b = wait_for_exit(b, 300s);
  ASSERT_EQ(code_a, 0) << read_text((dir / "a.log").string());
  ASSERT_EQ(code_b, 0) << read_text((dir / "b.log").string());

  EXPECT_EQ(db_scalar(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells"), "8");
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status = 'done' AND attempts = 1"), "8");
  // One set of results per cell, and the two processes' shares add up to the matrix.
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM epochs"), "8");  // smoke trains one epoch per cell
  EXPECT_EQ(ran_now((dir / "a.log").string()) + ran_now((dir / "b.log").string()), 8)
      << read_text((dir / "a.log").string()) << read_text((dir / "b.log").string());
}
