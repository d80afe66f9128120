#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "common/error.h"
#include "experiment/experiment.h"
#include "experiment/select.h"
#include "tests/experiment/plan_fixture.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::experiment::CellFilter;
using hecto::experiment::expand_experiment;
using hecto::experiment::ExpandedCell;
using hecto::experiment::parse_cell_filter;
using hecto::experiment::parse_experiment;
using hecto::experiment::load_plan;
using hecto::experiment::parse_override;
using hecto::experiment::Plan;
using hecto::experiment::select_cells;
using hecto::experiment::Settings;
using hecto::testing::kMatrix;
using hecto::testing::PlanTest;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

// The shape of experiments/paper/main.toml: rows of the matrix that depend on the task.
const char* kPerTask = R"(name = "per-task"
[defaults]
encoder.source = "random"
[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]
[variants.tfidf]
model.kind = "tfidf_linear"
[matrix]
task = ["agnews", "sst2", "stsb"]
variant = ["hecto", "ffnn_ffnn", "tfidf"]
seed = [0, 1]
[[matrix.include]]
task = "sst2"
variant = "tfidf"
"floor.c" = 3
[[matrix.include]]
task = "stsb"
variant = "hecto"
"model.pooling" = "pair"
[[matrix.exclude]]
task = "stsb"
variant = "ffnn_ffnn"
)";

std::vector<ExpandedCell> expand(const std::string& path, const std::vector<std::string>& sets = {}) {
  Settings overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return expand_experiment(parse_experiment(path), "", overrides);
}

std::vector<ExpandedCell> select(const std::vector<ExpandedCell>& cells, const std::vector<std::string>& only) {
  std::vector<CellFilter> filters;
  for (const auto& o : only) filters.push_back(parse_cell_filter(o));
  return select_cells(cells, filters, "per-task.toml");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CellFilter, ParsesShortNamesAndSeveralValues) {
  const CellFilter f = parse_cell_filter("task=agnews,sst2");
  EXPECT_EQ(f.key, "data.task");
  EXPECT_EQ(f.values, (std::vector<nlohmann::json>{"agnews", "sst2"}));
  EXPECT_EQ(f.where.file, "--only task=agnews,sst2");
  EXPECT_EQ(parse_cell_filter("seed=0, 2").values, (std::vector<nlohmann::json>{0, 2}));
  // A comma inside a list belongs to the value.
  const CellFilter experts = parse_cell_filter(R"(model.experts=["gru","gru"],["ffnn","gru"])");
  ASSERT_EQ(experts.values.size(), 2u);
  EXPECT_EQ(experts.values[0], nlohmann::json({"gru", "gru"}));
}

TEST(CellFilter, BadFiltersNameTheFlag) {
  EXPECT_NE(error_of([] { parse_cell_filter("agnews"); }).find("--only agnews: malformed cell filter"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_cell_filter("task=agnews,"); }).find("empty value"), std::string::npos);
  const std::string unknown = error_of([] { parse_cell_filter("epochz=3"); });
  EXPECT_NE(unknown.find("--only epochz=3"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("train.epochs"), std::string::npos) << unknown;  // the suggestion
  EXPECT_NE(error_of([] { parse_cell_filter("seed=zero"); }).find("--only seed=zero"), std::string::npos);
}

TEST(CellFilter, KeepsExactlyTheMatrixCellsOfTheValue) {
  TempDir dir;
  const auto cells = expand(write_file(dir / "per-task.toml", kPerTask).string());
  ASSERT_EQ(cells.size(), 16u);  // 3 x 3 x 2 minus stsb/ffnn_ffnn (2)
  const auto sst2 = select(cells, {"task=sst2"});
  ASSERT_EQ(sst2.size(), 6u);
  for (const auto& c : sst2) EXPECT_EQ(c.config.data.task, "sst2");
  // The selected cells keep their task's include rows (--set task=sst2 could not).
  const auto floors = select(cells, {"task=sst2", "variant=tfidf"});
  ASSERT_EQ(floors.size(), 2u);
  EXPECT_EQ(floors[0].config.floor.c, 3.0);
  const auto stsb = select(cells, {"task=stsb", "variant=hecto"});
  ASSERT_EQ(stsb.size(), 2u);
  EXPECT_EQ(stsb[0].config.model.pooling, hecto::model::Pooling::Pair);
  // Values within one --only are alternatives; filters on any config key, in plan order.
  const auto two = select(cells, {"task=agnews,stsb", "seed=1", "model.pooling=pair"});
  ASSERT_EQ(two.size(), 1u);
  EXPECT_EQ(two[0].config.data.task, "stsb");
  EXPECT_EQ(select(cells, {}).size(), cells.size());
  // An integer for a float key means the float: floor.c = 3 is stored as 3.0.
  EXPECT_EQ(select(cells, {"floor.c=3"}).size(), 2u);
  // One file of several (hecto status over many): no match is an empty selection, not an error.
  std::vector<CellFilter> none{parse_cell_filter("task=hotpotqa")};
  EXPECT_TRUE(select_cells(cells, none, "per-task.toml", /*may_select_nothing=*/true).empty());
}

TEST(CellFilter, AValueNoCellHasIsAnErrorWithASuggestion) {
  TempDir dir;
  const auto cells = expand(write_file(dir / "per-task.toml", kPerTask).string());
  std::string e = error_of([&] { select(cells, {"variant=hceto"}); });
  EXPECT_NE(e.find("--only variant=hceto: no cell of per-task.toml has variant = hceto (did you mean 'hecto'?)"),
            std::string::npos)
      << e;
  e = error_of([&] { select(cells, {"task=sst2,hotpotqa"}); });  // a task, but not one of this plan
  EXPECT_NE(e.find("has data.task = hotpotqa (expected"), std::string::npos) << e;  // no far-fetched guess
  EXPECT_NE(e.find("takes in this plan: agnews, sst2, stsb)"), std::string::npos) << e;
  e = error_of([&] { select(cells, {"task=stsb", "variant=ffnn_ffnn"}); });  // excluded together
  EXPECT_NE(e.find("no cell of per-task.toml satisfies every --only at once"), std::string::npos) << e;
}

TEST(Experiment, SetOfAnAxisThatMatrixRowsMatchOnIsAnError) {
  TempDir dir;
  const auto path = write_file(dir / "per-task.toml", kPerTask).string();
  std::string e = error_of([&] { expand(path, {"task=agnews"}); });
  EXPECT_NE(e.find("--set task=agnews: the matrix sweeps data.task and a [[matrix.include]] row at "),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("per-task.toml:14:1 matches on it"), std::string::npos) << e;
  EXPECT_NE(e.find("--only task=agnews"), std::string::npos) << e;
  e = error_of([&] { expand(path, {"task=hotpotqa"}); });  // not swept: --only cannot help either
  EXPECT_NE(e.find("one of the values the matrix sweeps (agnews, sst2, stsb)"), std::string::npos) << e;
  e = error_of([&] { expand(path, {"variant=ffnn_ffnn"}); });  // rows match on variant too
  EXPECT_NE(e.find("[[matrix.include]] row at"), std::string::npos) << e;
  // An axis no row matches on may still be set for every cell (the plan then drops duplicates).
  const auto seed0 = expand(path, {"seed=0"});
  ASSERT_EQ(seed0.size(), 16u);
  for (const auto& c : seed0) EXPECT_EQ(c.config.seed, 0u);
  EXPECT_EQ(expand(path, {"train.lr=1e-4"}).size(), 16u);
}

TEST(Experiment, SetOfAnExcludedAxisOrOfARowKeyWithoutAxesIsAnError) {
  TempDir dir;
  const std::string base = "name = \"x\"\n[defaults]\nencoder.source = \"random\"\n";
  auto path = write_file(dir / "x.toml", base + "[matrix]\ntask = [\"agnews\", \"sst2\"]\nseed = [0, 1]\n"
                                                 "[[matrix.exclude]]\ntask = \"sst2\"\nseed = 1\n")
                  .string();
  std::string e = error_of([&] { expand(path, {"seed=1"}); });
  EXPECT_NE(e.find("[[matrix.exclude]] row at"), std::string::npos) << e;
  EXPECT_NE(e.find("would bring back combinations it removed"), std::string::npos) << e;
  // No axes: the include rows are the cells, and a key they give different values plays the axis.
  path = write_file(dir / "rows.toml", base + "[[matrix.include]]\ntask = \"agnews\"\n\"train.lr\" = 1e-4\n"
                                              "[[matrix.include]]\ntask = \"sst2\"\n\"train.lr\" = 1e-4\n")
             .string();
  e = error_of([&] { expand(path, {"task=sst2"}); });
  EXPECT_NE(e.find("give data.task different values"), std::string::npos) << e;
  EXPECT_EQ(expand(path, {"train.lr=3e-4"}).size(), 2u);  // one value in every row: setting it is fine
}

TEST_F(PlanTest, AFlagThatSetsAMatchedAxisIsNamedInTheErrorNotSet) {
  // `hecto run --precision fp32` stands for train.precision="fp32"; a row matching on that key
  // makes it the same mistake as --set, and the user should read the flag they typed.
  write_file(dir_ / "prec.toml", R"(name = "prec"
[defaults]
encoder.source = "random"
[matrix]
task = ["agnews", "sst2"]
"train.precision" = ["fp32", "bf16"]
[[matrix.include]]
"train.precision" = "bf16"
"train.lr" = 1e-4
)");
  hecto::experiment::PlanOptions o;
  o.data_dir = data_.path().string();
  o.flag_overrides = {{"--precision fp32", "train.precision=\"fp32\""}};
  const std::string e = error_of([&] { load_plan((dir_ / "prec.toml").string(), o); });
  EXPECT_EQ(e.rfind("--precision fp32: the matrix sweeps train.precision", 0), 0u) << e;
  EXPECT_NE(e.find("so --precision would give every cell this value"), std::string::npos) << e;
  EXPECT_NE(e.find("--only train.precision=fp32"), std::string::npos) << e;
  EXPECT_EQ(e.find("--set"), std::string::npos) << e;
  // A flag whose key no row matches on applies to every cell.
  o.flag_overrides = {{"--pad-to-max", "train.padding=\"max\""}};
  const Plan p = load_plan((dir_ / "prec.toml").string(), o);
  ASSERT_EQ(p.cells.size(), 4u);
  for (const auto& c : p.cells) EXPECT_EQ(c.config.train.padding, hecto::experiment::Padding::Max);
}

TEST_F(PlanTest, OnlyKeepsTheIdsTheWholePlanGivesThoseCells) {
  const Plan all = plan(kMatrix);
  hecto::experiment::PlanOptions o;
  o.data_dir = data_.path().string();
  o.only = {"task=sst2", "seed=0,2"};
  const Plan some = load_plan((dir_ / "exp.toml").string(), o);
  ASSERT_EQ(some.cells.size(), 4u);
  std::set<std::string> all_ids;
  for (const auto& c : all.cells) all_ids.insert(c.id);
  for (const auto& c : some.cells) {
    EXPECT_TRUE(all_ids.count(c.id)) << c.id;
    EXPECT_EQ(c.axes.at("task"), "sst2");
    EXPECT_NE(c.config.seed, 1u);
  }
}
