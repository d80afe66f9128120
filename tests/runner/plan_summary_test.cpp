#include <gtest/gtest.h>

#include <sstream>

#include "results/store.h"
#include "runner/plan_summary.h"
#include "tests/experiment/plan_fixture.h"

using hecto::experiment::Plan;
using hecto::testing::kMatrix;
using hecto::testing::PlanTest;

TEST(PlanSummary, CostGrowsWithWorkAndFrozenIsCheaper) {
  hecto::experiment::Config c;
  const double finetuned = hecto::runner::estimated_cost(c);
  c.encoder.mode = hecto::experiment::EncoderMode::Frozen;
  const double frozen = hecto::runner::estimated_cost(c);
  EXPECT_LT(frozen, finetuned);
  c.encoder.mode = hecto::experiment::EncoderMode::Finetuned;
  c.train.epochs *= 2;
  EXPECT_DOUBLE_EQ(hecto::runner::estimated_cost(c), 2 * finetuned);
  c.data.max_len = 64;
  EXPECT_DOUBLE_EQ(hecto::runner::estimated_cost(c), finetuned);
}

TEST_F(PlanTest, VaryingAxesAndStatusFromTheDatabase) {
  const Plan p = plan(kMatrix);
  EXPECT_EQ(hecto::runner::varying_axes(p), (std::vector<std::string>{"task", "variant", "seed"}));

  const std::string db = (dir_ / "results.db").string();
  {
    auto store = hecto::results::Store::open(db);
    std::vector<hecto::results::CellSpec> specs;
    for (const auto& c : p.cells) specs.push_back({c.id, p.experiment, c.config.to_json().dump(), c.axes});
    store.register_experiment(p.experiment, p.source_file, p.source_text, specs);
    ASSERT_TRUE(store.claim_cell(p.cells[3].id, "host:1", 60, false));
    store.fail_cell(p.cells[3].id, "loss is NaN at step 7");
    ASSERT_TRUE(store.claim_cell(p.cells[4].id, "host:1", 60, false));
  }
  hecto::runner::StatusOptions so;
  so.files = {(dir_ / "exp.toml").string()};
  so.plan.data_dir = data_.path().string();
  so.db_path = db;
  std::ostringstream out;
  EXPECT_EQ(hecto::runner::print_status(so, out), 0);
  const std::string text = out.str();
  // experiment, cells, done, failed, running, pending
  std::istringstream row(text.substr(text.find("\nids ") + 1));
  std::string name;
  int cells = 0, done = -1, failed = 0, running = 0, pending = 0;
  row >> name >> cells >> done >> failed >> running >> pending;
  EXPECT_EQ(name, "ids");
  EXPECT_EQ(cells, 12);
  EXPECT_EQ(done, 0);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(running, 1);
  EXPECT_EQ(pending, 10);
  EXPECT_NE(text.find(p.cells[3].id), std::string::npos) << text;
  EXPECT_NE(text.find("loss is NaN at step 7"), std::string::npos) << text;

  hecto::runner::PlanViewOptions po;
  po.file = so.files[0];
  po.plan = so.plan;
  po.db_path = db;
  std::ostringstream plan_out;
  hecto::runner::print_plan(po, plan_out);
  EXPECT_NE(plan_out.str().find("status"), std::string::npos) << plan_out.str();
  EXPECT_NE(plan_out.str().find("total: 12 cells, 0 done"), std::string::npos) << plan_out.str();
  EXPECT_NE(plan_out.str().find("running"), std::string::npos) << plan_out.str();
}
