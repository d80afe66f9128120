// When the results database cannot be written (read-only file or directory, full disk), `hecto
// run` stops with an error naming the database and what to do, and every result already stored
// stays as it was; reading commands keep working on a database they cannot write.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "tests/runner/child_process.h"

using namespace hecto::testing;
namespace fs = std::filesystem;

namespace {

std::string smoke_file() { return (source_dir() / "experiments" / "smoke.toml").string(); }

std::string hecto_cmd(const TempDir& dir) {
  return hecto_binary() + " --threads 1 run " + smoke_file() + " --data-dir " + shared_data_dir().string() +
         " --cache-dir " + (dir / "cache").string();
}

// The sst2 cells of seed 0: one is run here (hecto); the ffnn_ffnn one is left pending, its
// token and feature caches already written, so a later run's only writes are to the database.
const std::string kSst2Seed0 = " --set 'task=\"sst2\"' --set seed=0";

std::string one_done_cell(const TempDir& dir, const std::string& db) {
  const auto r = run_command(hecto_cmd(dir) + " --db " + db + kSst2Seed0 + " --set 'variant=\"hecto\"' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return db_scalar(db, "SELECT id || ' ' || finished_at FROM cells WHERE status = 'done'");
}

// Root writes through file permissions; without CAP_DAC_OVERRIDE it is held to them like anyone.
std::string as_unprivileged() {
  if (geteuid() != 0) return "";
  return "setpriv --bounding-set -dac_override,-dac_read_search --inh-caps -dac_override,-dac_read_search ";
}

std::string without_cr(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  return s;
}

bool can_drop_privileges() { return geteuid() != 0 || run_command(as_unprivileged() + "true").exit_code == 0; }

// As an unprivileged user: `hecto run` on db exits 1 naming the database and `reason`, and
// `hecto query` still reads its one done cell.
void expect_run_refused_and_query_works(const TempDir& dir, const std::string& db, const std::string& reason) {
  const auto r = run_command(as_unprivileged() + hecto_cmd(dir) + " --db " + db + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(db), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(reason), std::string::npos) << r.output;

  const auto q = run_command(as_unprivileged() + hecto_binary() + " query --db " + db +
                             " \"SELECT count(*) AS n FROM cells WHERE status = 'done'\" --format csv 2>&1");
  EXPECT_EQ(q.exit_code, 0) << q.output;
  EXPECT_NE(without_cr(q.output).find("n\n1\n"), std::string::npos) << q.output;
}

}  // namespace

TEST(RunStorage, ReadOnlyDatabaseIsAClearErrorAndStillQueryable) {
  HECTO_REQUIRE_SHARED_DATA();
  if (!can_drop_privileges()) GTEST_SKIP() << "running as root without setpriv: permissions cannot be tested";
  TempDir dir;
  const std::string db = (dir / "h.db").string();
  const std::string before = one_done_cell(dir, db);
  ASSERT_FALSE(before.empty());
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

  expect_run_refused_and_query_works(dir, db, "read-only");
  EXPECT_EQ(db_scalar(db, "SELECT id || ' ' || finished_at FROM cells WHERE status = 'done'"), before);
}

// A database on a read-only mount, or in someone else's directory: SQLite cannot create the -wal
// and -shm files beside it. Writing fails clearly; reading still works.
TEST(RunStorage, ReadOnlyDirectoryIsAClearErrorAndStillQueryable) {
  HECTO_REQUIRE_SHARED_DATA();
  if (!can_drop_privileges()) GTEST_SKIP() << "running as root without setpriv: permissions cannot be tested";
  TempDir dir;
  const fs::path locked = dir / "locked";
  fs::create_directories(locked);
  const std::string db = (locked / "h.db").string();
  const std::string before = one_done_cell(dir, db);
  ASSERT_FALSE(before.empty());
  // The last connection to close checkpoints and removes -wal and -shm: the directory then holds
  // the database alone, as a copied or archived results directory does.
  { hecto::results::Store::open(db); }
  ASSERT_FALSE(fs::exists(db + "-wal"));
  ASSERT_FALSE(fs::exists(db + "-shm"));
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);

  expect_run_refused_and_query_works(dir, db, "directory");
  const auto s = run_command(as_unprivileged() + hecto_binary() + " status " + smoke_file() + " --data-dir " +
                             shared_data_dir().string() + " --db " + db + " 2>&1");
  EXPECT_EQ(s.exit_code, 0) << s.output;
  fs::permissions(locked, fs::perms::owner_all);  // so TempDir can clean up
  EXPECT_EQ(db_scalar(db, "SELECT id || ' ' || finished_at FROM cells WHERE status = 'done'"), before);
}

// A full disk, simulated with a file size limit (works unprivileged; SIGXFSZ ignored so writes
// fail with EFBIG as they would with ENOSPC). 64 KiB lets SQLite open the database and its
// shared-memory file but not store a result.
TEST(RunStorage, DiskFullStopsTheRunAndKeepsEveryStoredResult) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string db = (dir / "h.db").string();
  const std::string before = one_done_cell(dir, db);
  ASSERT_FALSE(before.empty());

  const auto r = run_command("bash -c \"ulimit -f 64; trap '' XFSZ; exec " + hecto_cmd(dir) + " --db " + db +
                             " --set 'task=\\\"sst2\\\"' --set seed=0\" 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(db), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("disk full"), std::string::npos) << r.output;

  EXPECT_EQ(db_scalar(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db_scalar(db, "SELECT id || ' ' || finished_at FROM cells WHERE status = 'done'"), before);
  // The cell whose result could not be stored did not fail: it waits to be run again.
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM cells WHERE status IN ('failed', 'running')"), "0") << r.output;

  const auto again = run_command(hecto_cmd(dir) + " --db " + db + kSst2Seed0 + " 2>&1");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("1 ran now, 2 done of 2"), std::string::npos) << again.output;
}
