// `hecto query` and `hecto merge` through the built binary.
#include <gtest/gtest.h>

#include "results/store.h"
#include "tests/results/results_fixtures.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

using namespace fixtures;
using testing::run_command;

// HECTO_NO_REEXEC: these commands do no BLAS work, so skip the core-type re-exec (half the start-up).
std::string hecto() { return "env HECTO_NO_REEXEC=1 " + (testing::binary_dir() / "hecto").string(); }

class ResultsCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_ / "hecto.db").string();
    Store store = Store::open(db_);
    register_cells(store, specs(2));
    store.finish_cell(result("c0", 0.8, 0.7));
    store.finish_cell(result("c1", 0.85, 0.75));
  }
  std::string query(const std::string& args) { return hecto() + " query --db '" + db_ + "' " + args; }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(ResultsCommands, QueryPrintsATable) {
  auto r = run_command(query("\"SELECT id, seed, accuracy FROM v_results ORDER BY id\""));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output,
            "id  seed  accuracy\n"
            "--  ----  --------\n"
            "c0     0       0.8\n"
            "c1     1      0.85\n"
            "(2 rows)\n");
}

TEST_F(ResultsCommands, QueryPrintsCsvAndJson) {
  auto csv = run_command(query("--format csv \"SELECT id, accuracy FROM v_results ORDER BY id\""));
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  EXPECT_EQ(csv.output, "id,accuracy\r\nc0,0.8\r\nc1,0.85\r\n");
  auto json = run_command(query("--format json \"SELECT experiment, n, encoder_name, framing FROM v_summary\""));
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_EQ(json.output,
            "[\n  {\"experiment\": \"exp\", \"n\": 2, \"encoder_name\": \"tiny\", \"framing\": null}\n]\n");
}

TEST_F(ResultsCommands, QueryRefusesWritesAndBadSqlWithExitTwo) {
  auto write = run_command(query("\"DELETE FROM cells\""));
  EXPECT_EQ(write.exit_code, 2) << write.output;
  EXPECT_NE(write.output.find("query is read-only"), std::string::npos) << write.output;
  auto bad = run_command(query("\"SELECT nope FROM cells\""));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("no such column: nope"), std::string::npos) << bad.output;
  EXPECT_EQ(Store::open(db_).experiment_cells("exp").size(), 2u);
  EXPECT_EQ(run_command(query("--format xml \"SELECT 1\"")).exit_code, 2);
}

TEST_F(ResultsCommands, QueryOnAMissingDatabaseSaysSo) {
  auto r = run_command(hecto() + " query --db '" + (dir_ / "none.db").string() + "' \"SELECT 1\"");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("none.db"), std::string::npos) << r.output;
}

TEST_F(ResultsCommands, MergeCountsAndFailsOnConflicts) {
  const std::string out = (dir_ / "merged/out.db").string();
  auto first = run_command(hecto() + " merge '" + out + "' '" + db_ + "'");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("2 added"), std::string::npos) << first.output;
  EXPECT_EQ(Store::open(out, Store::Mode::ReadOnly).query("SELECT count(*) FROM v_results").rows[0][0], "2");

  const std::string other = (dir_ / "other.db").string();
  {
    Store store = Store::open(other);
    register_cells(store, specs(2));
    store.finish_cell(result("c0", 0.8, 0.7));   // identical
    store.finish_cell(result("c1", 0.1, 0.75));  // conflicting
  }
  auto second = run_command(hecto() + " merge '" + out + "' '" + other + "' '" + db_ + "'");
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_NE(second.output.find("conflict: cell c1"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("1 identical skipped"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("2 identical skipped"), std::string::npos) << second.output;
  EXPECT_EQ(run_command(hecto() + " merge '" + out + "' '" + (dir_ / "missing.db").string() + "'").exit_code, 2);
}

}  // namespace
}  // namespace hecto::results
