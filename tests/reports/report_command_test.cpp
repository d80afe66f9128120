// run_report end to end: the files it writes, where, and its exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "reports/report_command.h"
#include "tests/reports/report_fixtures.h"

namespace hecto::reports {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ReportCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = results::Store::open(db());
    fixtures::build_fixture_db(store);
    options_.db_path = db();
    options_.out_dir = (dir_ / "out").string();
    options_.reference_path = testing::write_file(dir_ / "reference.json", fixtures::kReferenceJson).string();
  }
  std::string db() const { return (dir_ / "fixture.db").string(); }
  testing::TempDir dir_;
  ReportOptions options_;
};

TEST_F(ReportCommand, WritesEveryFormatUnderTheProfile) {
  options_.profile = "test";
  std::ostringstream out;
  ASSERT_EQ(run_report(options_, out), 0);
  const fs::path d = dir_ / "out" / "test";
  for (const auto* f : {"tables.md", "tables.tex", "index.html", "main.csv", "ablations.csv", "pretrain.csv",
                        "plots/pretrain_loss.dat", "plots/pretrain_loss.gp"})
    EXPECT_TRUE(fs::exists(d / f)) << f;
  EXPECT_NE(out.str().find("Tables are in " + d.string()), std::string::npos) << out.str();
  const std::string html = read(d / "index.html");
  EXPECT_NE(html.find("<h3 id=\"main\">Table 1. Main comparison"), std::string::npos);
  EXPECT_NE(html.find("class=\"warn\">WARNING: NOT the paper"), std::string::npos);
}

TEST_F(ReportCommand, ARerunRemovesTheFilesOfAnEarlierReportItNoLongerWritesAndNoOthers) {
  options_.profile = "test";
  std::ostringstream out;
  ASSERT_EQ(run_report(options_, out), 0);
  const fs::path d = dir_ / "out" / "test";
  // As if an earlier report had written a claims table and a plot this one no longer has.
  testing::write_file(d / "claims_old_encoder.csv", "stale\n");
  testing::write_file(d / "plots" / "old.dat", "stale\n");
  testing::write_file(d / "notes.csv", "the user's own\n");
  testing::write_file(dir_ / "out" / "outside.csv", "outside\n");
  {
    std::ofstream list(d / ".hecto-report-files", std::ios::app);
    list << "claims_old_encoder.csv\nplots/old.dat\n../outside.csv\n";
  }
  options_.format = "md";  // writes no CSV: removes none
  ASSERT_EQ(run_report(options_, out), 0);
  EXPECT_TRUE(fs::exists(d / "claims_old_encoder.csv"));
  EXPECT_TRUE(fs::exists(d / "main.csv"));
  options_.format = "all";
  ASSERT_EQ(run_report(options_, out), 0);
  EXPECT_FALSE(fs::exists(d / "claims_old_encoder.csv"));
  EXPECT_FALSE(fs::exists(d / "plots" / "old.dat"));
  EXPECT_TRUE(fs::exists(d / "main.csv"));
  EXPECT_TRUE(fs::exists(d / "plots" / "pretrain_loss.dat"));
  EXPECT_TRUE(fs::exists(d / "notes.csv"));           // never listed: not the report's
  EXPECT_TRUE(fs::exists(dir_ / "out" / "outside.csv"));  // outside the directory
  EXPECT_EQ(read(d / ".hecto-report-files").find("claims_old_encoder.csv"), std::string::npos);
}

TEST_F(ReportCommand, DerivedProfileAndOneFormat) {
  options_.format = "md";
  std::ostringstream out;
  ASSERT_EQ(run_report(options_, out), 0);
  EXPECT_TRUE(fs::exists(dir_ / "out" / "default" / "tables.md"));  // mixed encoders: "default"
  EXPECT_FALSE(fs::exists(dir_ / "out" / "default" / "tables.tex"));
  EXPECT_FALSE(fs::exists(dir_ / "out" / "default" / "plots"));
}

TEST_F(ReportCommand, NothingToRenderIsAFailure) {
  const std::string empty = (dir_ / "empty.db").string();
  results::Store::open(empty);
  options_.db_path = empty;
  std::ostringstream out;
  EXPECT_EQ(run_report(options_, out), 1);
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(ReportCommand, ExperimentWithoutDoneCellsIsSaid) {
  // paper-encoder has no done cell; its own tables are empty, but bench and pretraining remain.
  options_.experiments = {"paper-encoder"};
  options_.profile = "enc";
  std::ostringstream out;
  EXPECT_EQ(run_report(options_, out), 0);
  const std::string md = read(dir_ / "out" / "enc" / "tables.md");
  EXPECT_NE(md.find("paper-encoder has no finished cells"), std::string::npos);
}

TEST_F(ReportCommand, OnlyPendingCellsIsAFailure) {
  const std::string pending = (dir_ / "pending.db").string();
  auto store = results::Store::open(pending);
  store.register_experiment("x", "x.toml", "", {fixtures::cell("p0", "x", "agnews", "hecto", 0, "e")});
  options_.db_path = pending;
  std::ostringstream out;
  EXPECT_EQ(run_report(options_, out), 1);
}

TEST_F(ReportCommand, BadInput) {
  options_.experiments = {"no-such-experiment"};
  std::ostringstream out;
  EXPECT_THROW(run_report(options_, out), common::InputError);
  options_.experiments = {};
  options_.format = "pdf";
  EXPECT_THROW(run_report(options_, out), common::InputError);
  options_.format = "all";
  options_.reference_path = (dir_ / "missing.json").string();
  EXPECT_THROW(run_report(options_, out), common::InputError);
  options_.reference_path = "";
  options_.db_path = (dir_ / "missing.db").string();
  EXPECT_THROW(run_report(options_, out), common::RunError);
}

}  // namespace
}  // namespace hecto::reports
