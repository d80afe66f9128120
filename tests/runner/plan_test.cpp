#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "common/error.h"
#include "results/store.h"
#include "runner/plan.h"
#include "runner/plan_summary.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::runner::Cell;
using hecto::runner::cells_for_shard;
using hecto::runner::load_plan;
using hecto::runner::parse_shard;
using hecto::runner::Plan;
using hecto::runner::PlanOptions;
using hecto::runner::set_data_files_hook;
using hecto::runner::shard_of;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

// A fake data set: each task reads <data_dir>/<task>.txt, so tests control exactly what is hashed.
class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(data_ / "agnews.txt", "agnews v1");
    write_file(data_ / "sst2.txt", "sst2 v1");
    write_file(data_ / "stsb.txt", "stsb v1");
    set_data_files_hook([](const hecto::runner::Config& c, const std::string& dir) {
      return std::vector<std::string>{dir + "/" + c.data.task + ".txt"};
    });
  }
  void TearDown() override { set_data_files_hook({}); }

  Plan plan(const std::string& text, const std::string& name = "exp.toml", std::vector<std::string> sets = {}) {
    PlanOptions o;
    o.data_dir = data_.path().string();
    o.overrides = std::move(sets);
    return load_plan(write_file(dir_ / name, text).string(), o);
  }

  TempDir dir_, data_;
};

const char* kMatrix = R"(name = "ids"
[defaults]
encoder.source = "random"
train.epochs = 2
[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]
[matrix]
task = ["agnews", "sst2"]
seed = [0, 1, 2]
variant = ["hecto", "ffnn_ffnn"]
[pretrain]
steps = 5
)";

std::vector<std::string> ids(const Plan& p) {
  std::vector<std::string> out;
  for (const auto& c : p.cells) out.push_back(c.id);
  return out;
}

}  // namespace

TEST_F(PlanTest, CellsHaveSixteenHexIdsAndTheirAxes) {
  const Plan p = plan(kMatrix);
  EXPECT_EQ(p.experiment, "ids");
  EXPECT_EQ(p.source_text, kMatrix);
  EXPECT_NE(p.source_file.find("exp.toml"), std::string::npos);
  EXPECT_EQ(p.source_file.front(), '/');
  EXPECT_EQ(p.pretrain, nlohmann::json({{"steps", 5}}));
  ASSERT_EQ(p.cells.size(), 12u);
  std::set<std::string> unique;
  for (const auto& c : p.cells) {
    EXPECT_EQ(c.id.size(), 16u);
    EXPECT_EQ(c.id.find_first_not_of("0123456789abcdef"), std::string::npos) << c.id;
    unique.insert(c.id);
    EXPECT_EQ(c.axes.at("task"), c.config.data.task);
  }
  EXPECT_EQ(unique.size(), 12u);
  EXPECT_EQ(p.cells[1].axes.at("variant"), "ffnn_ffnn");
  EXPECT_EQ(p.cells[6].axes.at("task"), "sst2");
}

TEST_F(PlanTest, IdsAreDeterministic) {
  const auto first = ids(plan(kMatrix));
  EXPECT_EQ(ids(plan(kMatrix)), first);
  EXPECT_EQ(ids(plan(kMatrix, "copy.toml")), first);
}

TEST_F(PlanTest, RenamingTheExperimentKeepsIds) {
  std::string renamed = kMatrix;
  renamed.replace(renamed.find("\"ids\""), 5, "\"other\"");
  const Plan p = plan(renamed);
  EXPECT_EQ(p.experiment, "other");
  EXPECT_EQ(p.cells[0].config.experiment, "other");
  EXPECT_EQ(ids(p), ids(plan(kMatrix)));
}

TEST_F(PlanTest, ChangingADataFileChangesOnlyTheIdsOfItsTask) {
  const Plan before = plan(kMatrix);
  write_file(data_ / "sst2.txt", "sst2 v2");
  const Plan after = plan(kMatrix);
  for (size_t i = 0; i < before.cells.size(); ++i) {
    if (before.cells[i].config.data.task == "sst2")
      EXPECT_NE(before.cells[i].id, after.cells[i].id);
    else
      EXPECT_EQ(before.cells[i].id, after.cells[i].id);
  }
}

TEST_F(PlanTest, ChangingTheConfigChangesIds) {
  const auto base = ids(plan(kMatrix));
  const auto changed = ids(plan(kMatrix, "exp.toml", {"train.lr=3e-5"}));
  for (size_t i = 0; i < base.size(); ++i) EXPECT_NE(base[i], changed[i]);
}

TEST_F(PlanTest, DuplicateCellsAreRemoved) {
  const Plan p = plan("name = \"d\"\n[defaults]\nencoder.source = \"random\"\n[matrix]\nseed = [0, 1, 0]\n"
                      "[[matrix.include]]\nseed = 7\n[[matrix.include]]\nseed = 7\n");
  ASSERT_EQ(p.cells.size(), 3u);
  EXPECT_EQ(p.cells[0].config.seed, 0u);
  EXPECT_EQ(p.cells[1].config.seed, 1u);
  EXPECT_EQ(p.cells[2].config.seed, 7u);
}

TEST_F(PlanTest, PretrainedWeightsArePartOfTheId) {
  TempDir weights;
  write_file(weights / "model.safetensors", "weights v1");
  const std::string text = "name = \"w\"\n[defaults]\nencoder.source = \"pretrained\"\nencoder.path = \"" +
                           weights.path().string() + "\"\n";
  const auto first = ids(plan(text));
  write_file(weights / "model.safetensors", "weights v2");
  EXPECT_NE(ids(plan(text)), first);

  const std::string missing = "name = \"w\"\n[defaults]\nencoder.source = \"pretrained\"\nencoder.path = \"/no/such/dir\"\n";
  try {
    plan(missing);
    FAIL() << "missing weights accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exp.toml:4:9: encoder weights /no/such/dir/model.safetensors not found"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(PlanTest, UnknownSetKeyFailsBeforeHashing) {
  try {
    plan(kMatrix, "exp.toml", {"train.learning_rate=1e-4"});
    FAIL() << "unknown key accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--set train.learning_rate=1e-4: unknown config key"), std::string::npos) << e.what();
  }
}

TEST_F(PlanTest, MissingDataFileIsAnInputError) {
  std::filesystem::remove(data_ / "sst2.txt");
  EXPECT_THROW(plan(kMatrix), InputError);
}

TEST(Shards, ParseShardValidates) {
  auto s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  auto [i, n] = parse_shard("0/1");
  EXPECT_EQ(i, 0);
  EXPECT_EQ(n, 1);
  for (const char* bad : {"5/5", "-1/4", "a/b", "3", "0/0", "1/", "/2", "1/2/3", " 1/2"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("0 <= i < N"), std::string::npos) << e.what();
    }
  }
}

TEST(Shards, ShardOfUsesTheLeadingEightHexDigits) {
  EXPECT_EQ(shard_of("0000000a00000000", 4), 10 % 4);
  EXPECT_EQ(shard_of("ffffffff12345678", 7), static_cast<int>(0xffffffffUL % 7));
  EXPECT_EQ(shard_of("0123456789abcdef", 1), 0);
  EXPECT_THROW(shard_of("0123456789abcdef", 0), InputError);
}

TEST_F(PlanTest, EveryCellIsInExactlyOneShard) {
  const Plan p = plan(kMatrix);
  for (int n = 1; n <= 7; ++n) {
    std::vector<int> hits(p.cells.size(), 0);
    for (int i = 0; i < n; ++i)
      for (size_t c = 0; c < p.cells.size(); ++c) hits[c] += shard_of(p.cells[c].id, n) == i;
    for (size_t c = 0; c < hits.size(); ++c) EXPECT_EQ(hits[c], 1) << "n=" << n << " cell " << c;
  }
}

// What a Slurm array does: task i of N runs `hecto run --shard $SLURM_ARRAY_TASK_ID/N`.
TEST_F(PlanTest, SimulatedArrayTasksCoverThePlanWithoutOverlap) {
  const Plan p = plan(kMatrix);
  const int n = 4;
  std::multiset<std::string> ran;
  for (int task = 0; task < n; ++task) {
    setenv("SLURM_ARRAY_TASK_ID", std::to_string(task).c_str(), 1);
    const auto shard = parse_shard(std::string(std::getenv("SLURM_ARRAY_TASK_ID")) + "/" + std::to_string(n));
    for (const Cell& c : cells_for_shard(p, shard.index, shard.count)) ran.insert(c.id);
  }
  unsetenv("SLURM_ARRAY_TASK_ID");
  EXPECT_EQ(ran.size(), p.cells.size());
  for (const auto& c : p.cells) EXPECT_EQ(ran.count(c.id), 1u) << c.id;
}

TEST(PlanSummary, CostGrowsWithWorkAndFrozenIsCheaper) {
  hecto::runner::Config c;
  const double finetuned = hecto::runner::estimated_cost(c);
  c.encoder.mode = "frozen";
  const double frozen = hecto::runner::estimated_cost(c);
  EXPECT_LT(frozen, finetuned);
  c.encoder.mode = "finetuned";
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
