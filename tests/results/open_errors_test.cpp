#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "results/store.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

// The message of the RunError `open` throws, or "" when it did not throw one.
std::string open_error(const std::string& path, Store::Mode mode = Store::Mode::ReadWrite) {
  try {
    Store::open(path, mode);
  } catch (const common::RunError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsOpen, TextFileIsRefusedWithItsPath) {
  testing::TempDir dir;
  auto path = testing::write_file(dir / "notes.db", std::string(4096, 'x') + "\nthis is not a database\n").string();
  std::string msg = open_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("not an SQLite database"), std::string::npos) << msg;
  EXPECT_NE(open_error(path, Store::Mode::ReadOnly).find(path), std::string::npos);
}

TEST(ResultsOpen, CorruptPagesAreReported) {
  testing::TempDir dir;
  const std::string path = (dir / "broken.db").string();
  { Store store = Store::open(path); }
  // Keep the header, overwrite the schema page: SQLite sees a database it cannot read.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    std::string junk(3000, '\x7f');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  std::string msg = open_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_FALSE(msg.empty());
}

TEST(ResultsOpen, ForeignSqliteDatabaseIsNotTouched) {
  testing::TempDir dir;
  const std::string path = (dir / "other.db").string();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE mine(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::string msg = open_error(path);
  EXPECT_NE(msg.find("not a hecto results database"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(ResultsOpen, NewerSchemaIsRefused) {
  testing::TempDir dir;
  const std::string path = (dir / "future.db").string();
  { Store::open(path); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::string msg = open_error(path);
  EXPECT_NE(msg.find("99"), std::string::npos) << msg;
  EXPECT_NE(msg.find("newer hecto"), std::string::npos) << msg;
}

TEST(ResultsOpen, ReadOnlyNeverCreatesAFile) {
  testing::TempDir dir;
  const std::string path = (dir / "missing.db").string();
  std::string msg = open_error(path, Store::Mode::ReadOnly);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ResultsOpen, ParentThatIsAFileIsReported) {
  testing::TempDir dir;
  auto file = testing::write_file(dir / "plain", "x");
  const std::string path = (file / "hecto.db").string();
  std::string msg = open_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
}

TEST(ResultsOpen, WriteProtectedFileIsReported) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes through file permissions";
  testing::TempDir dir;
  const std::string path = (dir / "locked.db").string();
  { Store::open(path); }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  std::string msg = open_error(path);
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("read-only"), std::string::npos) << msg;
  EXPECT_EQ(open_error(path, Store::Mode::ReadOnly), "");
}

}  // namespace
}  // namespace hecto::results
