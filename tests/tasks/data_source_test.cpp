#include <gtest/gtest.h>

#include "common/sha256.h"
#include "tasks/data_source.h"
#include "tests/testing.h"

using hecto::tasks::data_source_kind;
using hecto::testing::TempDir;
using hecto::testing::write_file;

// SOURCE.json (written by `make data`) names each file's kind with its sha256; a file changed
// since is not vouched for.
TEST(DataSource, SourceJsonNamesEachFilesKind) {
  TempDir dir;
  const auto train = write_file(dir / "ag_news/train.csv", "\"1\",\"t\",\"d\"\n");
  const std::string sha = hecto::common::sha256_file(train.string());
  write_file(dir / "SOURCE.json", "{\"files\": {\"ag_news/train.csv\": {\"kind\": \"official\", \"sha256\": \"" + sha +
                                      "\", \"url\": \"http://x/train.csv\"}}}");
  EXPECT_EQ(data_source_kind(dir.path().string(), train.string(), sha), "official");
  EXPECT_EQ(data_source_kind(dir.path().string(), train.string(), "00" + sha.substr(2)), "");
  const auto other = write_file(dir / "ag_news/mine.csv", "x\n");
  EXPECT_EQ(data_source_kind(dir.path().string(), other.string(), hecto::common::sha256_file(other.string())), "");
  TempDir elsewhere;
  const auto outside = write_file(elsewhere / "ag_news/train.csv", "\"1\",\"t\",\"d\"\n");
  EXPECT_EQ(data_source_kind(dir.path().string(), outside.string(), sha), "");

  write_file(dir / "SOURCE.json", "{not json");  // unreadable: nothing recorded, no error
  EXPECT_EQ(data_source_kind(dir.path().string(), train.string(), sha), "");
}

// Without SOURCE.json (../shared/data), the staged files are known by their sha256.
TEST(DataSource, StagedFilesAreKnownWithoutSourceJson) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto dir = hecto::testing::shared_data_dir();
  const auto file = (dir / "ag_news" / "train_sample_5k.csv").string();
  const std::string sha = hecto::common::sha256_file(file);
  EXPECT_EQ(data_source_kind(dir.string(), file, sha), "staged");
  EXPECT_EQ(data_source_kind(dir.string(), file, "ff" + sha.substr(2)), "");
}
