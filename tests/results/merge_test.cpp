#include <gtest/gtest.h>

#include "common/error.h"
#include "results/store.h"
#include "tests/results/results_fixtures.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

using namespace fixtures;

std::string one(const Store& store, const std::string& sql) {
  QueryResult r = store.query(sql);
  return r.rows.empty() ? "<no row>" : r.rows[0][0];
}

class ResultsMerge : public ::testing::Test {
 protected:
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  testing::TempDir dir_;
};

TEST_F(ResultsMerge, AddsCellsWithAllTheirRows) {
  {
    Store shard = Store::open(path("shard.db"));
    register_cells(shard, specs(3));
    shard.finish_cell(result("c0", 0.8, 0.7));
    shard.finish_cell(result("c1", 0.9, 0.8));
    BenchmarkRecord b;
    b.name = "encode";
    b.value = 1;
    b.recorded_at = "2025-01-01T00:00:00Z";
    shard.record_benchmark(b);
  }
  Store out = Store::open(path("out.db"));
  MergeReport r = out.merge_from(path("shard.db"));
  EXPECT_EQ(r.cells_added, 2);
  EXPECT_EQ(r.identical_skipped, 0);
  EXPECT_EQ(r.cells_completed, 0);
  EXPECT_EQ(r.benchmarks_added, 1);
  EXPECT_TRUE(r.conflicts.empty());
  // Pending cells of the shard are not results: not copied.
  EXPECT_EQ(one(out, "SELECT count(*) FROM cells"), "2");
  EXPECT_EQ(one(out, "SELECT count(*) FROM v_results"), "2");
  EXPECT_EQ(one(out, "SELECT accuracy FROM v_results WHERE id = 'c1'"), "0.9");
  EXPECT_EQ(one(out, "SELECT source_file FROM experiments"), "experiments/exp.toml");
  for (const char* table : {"cell_axes", "metrics", "epochs", "epoch_expert_share", "epoch_metrics", "routing",
                            "timings", "provenance", "data_files"})
    EXPECT_EQ(one(out, std::string("SELECT count(*) > 0 FROM ") + table + " WHERE cell_id = 'c0'"), "1") << table;
  EXPECT_EQ(out.integrity_check(), "ok");

  // Merging the same shard again changes nothing.
  MergeReport again = out.merge_from(path("shard.db"));
  EXPECT_EQ(again.cells_added, 0);
  EXPECT_EQ(again.identical_skipped, 2);
  EXPECT_EQ(again.benchmarks_added, 0);
  EXPECT_EQ(one(out, "SELECT count(*) FROM metrics"), "6");
  EXPECT_EQ(one(out, "SELECT count(*) FROM bench"), "1");
}

// A shard of an experiment's whole plan, its cells done.
void write_shard(const std::string& db, const std::vector<std::string>& plan, const std::vector<std::string>& done) {
  Store shard = Store::open(db);
  std::vector<CellSpec> cells;
  for (const auto& id : plan) cells.push_back(spec(id));
  register_cells(shard, cells);
  shard.record_whole_plan("exp", plan);
  for (const auto& id : done) shard.finish_cell(result(id, 0.8, 0.7));
}

std::string linked(const Store& store) {
  return one(store, "SELECT group_concat(cell_id, ',') FROM (SELECT cell_id FROM cell_experiments ORDER BY cell_id)");
}

// The links of a new database `out` after merging `inputs` into it in that order.
std::string linked_after_merging(const std::string& out, const std::vector<std::string>& inputs) {
  Store store = Store::open(out);
  for (const auto& input : inputs) store.merge_from(input);
  return linked(store);
}

// The Slurm flow after a profile change: the shards of the new plan, merged into the database that
// holds the old plan's results, leave the experiment as planned now (the old cells stay in `cells`).
TEST_F(ResultsMerge, AShardOfANewerPlanUnlinksCellsTheOlderPlanHeld) {
  write_shard(path("old.db"), {"kept", "old"}, {"kept", "old"});
  write_shard(path("new.db"), {"kept", "new"}, {"new"});
  Store out = Store::open(path("out.db"));
  EXPECT_EQ(out.merge_from(path("old.db")).links_of_older_plans, 0);
  EXPECT_EQ(linked(out), "kept,old");

  MergeReport r = out.merge_from(path("new.db"));
  EXPECT_EQ(r.links_of_older_plans, 1);
  EXPECT_EQ(r.cells_added, 1);
  EXPECT_EQ(linked(out), "kept,new");
  EXPECT_EQ(one(out, "SELECT count(*) FROM cells"), "3");
  EXPECT_EQ(one(out, "SELECT count(*) FROM metrics WHERE cell_id = 'old'"), "3");  // results kept
  EXPECT_EQ(one(out, "SELECT planned_at FROM experiments"),
            one(Store::open(path("new.db"), Store::Mode::ReadOnly), "SELECT planned_at FROM experiments"));

  // The older plan's shard merged again, or late, links back only what the new plan holds.
  MergeReport late = out.merge_from(path("old.db"));
  EXPECT_EQ(late.links_of_older_plans, 0);
  EXPECT_EQ(late.identical_skipped, 2);
  EXPECT_EQ(linked(out), "kept,new");
}

TEST_F(ResultsMerge, ALateShardOfAnEarlierPlanLinksTheCellsTheNewPlanKept) {
  write_shard(path("old.db"), {"kept", "old"}, {"kept", "old"});
  write_shard(path("new.db"), {"kept", "new"}, {"new"});  // "kept" not done in this shard
  EXPECT_EQ(linked_after_merging(path("out.db"), {path("new.db"), path("old.db")}), "kept,new");
}

// A database merged from shards holds links of its done cells only, but its experiment row carries
// the whole plan: merged on, it unlinks nothing its plan holds.
TEST_F(ResultsMerge, AMergedDatabaseCarriesItsWholePlan) {
  write_shard(path("a.db"), {"c0", "c1", "c2"}, {"c0"});
  write_shard(path("b.db"), {"c0", "c1", "c2"}, {"c1", "c2"});  // stamped after a
  EXPECT_EQ(linked_after_merging(path("x.db"), {path("b.db")}), "c1,c2");
  Store out = Store::open(path("out.db"));
  out.merge_from(path("a.db"));
  EXPECT_EQ(out.merge_from(path("x.db")).links_of_older_plans, 0);
  EXPECT_EQ(linked(out), "c0,c1,c2");
}

// Links an --only run added (no plan of its own) are merged as that run would add them.
TEST_F(ResultsMerge, LinksOfOnlyRunsAreMergedAsTheRunWouldAddThem) {
  write_shard(path("planned.db"), {"c0"}, {"c0"});
  {
    Store extra = Store::open(path("extra.db"));
    register_cells(extra, {spec("tried")});  // `hecto run --only ...`: no plan recorded
    extra.finish_cell(result("tried", 0.8, 0.7));
  }
  EXPECT_EQ(linked_after_merging(path("out.db"), {path("planned.db"), path("extra.db")}), "c0,tried");
}

TEST_F(ResultsMerge, ShardsOfOnePlanKeepEachOthersLinksInEitherOrder) {
  write_shard(path("a.db"), {"c0", "c1", "c2"}, {"c0"});
  write_shard(path("b.db"), {"c2", "c1", "c0"}, {"c1", "c2"});  // registered later: its stamp is newer
  for (const auto& order : {std::vector<std::string>{"a.db", "b.db"}, std::vector<std::string>{"b.db", "a.db"}}) {
    Store out = Store::open(path("out-" + order[0]));
    for (const auto& shard : order) EXPECT_EQ(out.merge_from(path(shard)).links_of_older_plans, 0) << shard;
    EXPECT_EQ(linked(out), "c0,c1,c2") << order[0];
    EXPECT_EQ(one(out, "SELECT count(*) FROM v_results"), "3") << order[0];
  }
}

TEST_F(ResultsMerge, APlanStampIsTheLastWholePlanAndOrdersAsText) {
  Store store = Store::open(path("out.db"));
  register_cells(store, specs(1));
  EXPECT_EQ(one(store, "SELECT planned_at IS NULL FROM experiments"), "1");  // --only runs stamp nothing
  store.record_whole_plan("exp", {"c0"});
  const std::string first = one(store, "SELECT planned_at FROM experiments");
  store.record_whole_plan("exp", {"c0"});
  const std::string second = one(store, "SELECT planned_at FROM experiments");
  EXPECT_EQ(first.size(), std::string("2026-12-03T17:10:00.123456Z").size()) << first;
  EXPECT_LT(first, second);
  EXPECT_EQ(one(store, "SELECT plan_cells FROM experiments"), "[\"c0\"]");
}

TEST_F(ResultsMerge, ReportsConflictsWithoutOverwriting) {
  {
    Store a = Store::open(path("a.db"));
    register_cells(a, specs(2));
    a.finish_cell(result("c0", 0.8, 0.7));
    a.finish_cell(result("c1", 0.9, 0.8));
  }
  Store out = Store::open(path("out.db"));
  register_cells(out, specs(2));
  out.finish_cell(result("c0", 0.8, 0.7));  // same
  out.finish_cell(result("c1", 0.5, 0.8));  // different accuracy
  MergeReport r = out.merge_from(path("a.db"));
  EXPECT_EQ(r.cells_added, 0);
  EXPECT_EQ(r.identical_skipped, 1);
  EXPECT_EQ(r.conflicts, std::vector<std::string>{"c1"});
  EXPECT_EQ(one(out, "SELECT accuracy FROM v_results WHERE id = 'c1'"), "0.5");
}

TEST_F(ResultsMerge, DoneThereCompletesPendingOrFailedHere) {
  {
    Store shard = Store::open(path("shard.db"));
    register_cells(shard, specs(2));
    shard.finish_cell(result("c0", 0.8, 0.7));
    shard.finish_cell(result("c1", 0.9, 0.8));
  }
  Store out = Store::open(path("out.db"));
  register_cells(out, specs(2));
  ASSERT_TRUE(out.claim_cell("c1", "me", 60, false));
  out.fail_cell("c1", "out of memory");
  MergeReport r = out.merge_from(path("shard.db"));
  EXPECT_EQ(r.cells_completed, 2);
  EXPECT_EQ(r.cells_added, 0);
  EXPECT_EQ(one(out, "SELECT group_concat(status || coalesce(error, ''), ',') FROM cells"), "done,done");
  EXPECT_EQ(one(out, "SELECT accuracy FROM v_results WHERE id = 'c1'"), "0.9");
}

TEST_F(ResultsMerge, RefusesItselfAndNonDatabases) {
  Store out = Store::open(path("out.db"));
  EXPECT_THROW(out.merge_from(path("out.db")), common::RunError);
  auto junk = testing::write_file(dir_ / "junk.db", std::string(2000, 'j')).string();
  try {
    out.merge_from(junk);
    FAIL() << "merged junk";
  } catch (const common::RunError& e) {
    EXPECT_NE(std::string(e.what()).find(junk), std::string::npos) << e.what();
  }
  EXPECT_THROW(out.merge_from(path("missing.db")), common::RunError);
}

TEST_F(ResultsMerge, PathsWithUriCharactersWork) {
  const std::string odd = path("shard #1 ?100%.db");
  {
    Store shard = Store::open(odd);
    register_cells(shard, specs(1));
    shard.finish_cell(result("c0", 0.8, 0.7));
  }
  Store out = Store::open(path("out.db"));
  EXPECT_EQ(out.merge_from(odd).cells_added, 1);
}

}  // namespace
}  // namespace hecto::results
