#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/sha256.h"
#include "experiment/plan.h"
#include "tests/experiment/plan_fixture.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::experiment::Cell;
using hecto::experiment::cells_for_shard;
using hecto::experiment::load_plan;
using hecto::experiment::parse_shard;
using hecto::experiment::Plan;
using hecto::experiment::PlanOptions;
using hecto::experiment::set_data_files_hook;
using hecto::experiment::shard_of;
using hecto::testing::ids;
using hecto::testing::kMatrix;
using hecto::testing::PlanTest;
using hecto::testing::TempDir;
using hecto::testing::write_file;

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

// train.embedding_lr_scale and data.validation_size came after results were stored: at their
// defaults the id is the hash of the config without them, as before the keys existed, so stored
// cells are not run again.
TEST(CellId, KeysAddedAfterResultsWereStoredLeaveIdsAloneAtTheirDefaults) {
  hecto::experiment::Config c;
  nlohmann::json without = c.to_json();
  without.erase("experiment");
  without["train"].erase("embedding_lr_scale");
  without["data"].erase("validation_size");
  hecto::common::Sha256 h;
  h.update(without.dump()).update("\ndata:").update("abc");
  const std::string as_before = h.hex().substr(0, 16);
  EXPECT_EQ(hecto::experiment::cell_id(c, {"abc"}, ""), as_before);
  hecto::experiment::Config scaled = c;
  scaled.train.embedding_lr_scale = 0;
  EXPECT_NE(hecto::experiment::cell_id(scaled, {"abc"}, ""), as_before);
  hecto::experiment::Config validated = c;
  validated.data.validation_size = 1000;
  EXPECT_NE(hecto::experiment::cell_id(validated, {"abc"}, ""), as_before);
}

TEST_F(PlanTest, DuplicateCellsAreRemoved) {
  const Plan p = plan(
      "name = \"d\"\n[defaults]\nencoder.source = \"random\"\n[matrix]\nseed = [0, 1, 0]\n"
      "[[matrix.include]]\nseed = 7\n[[matrix.include]]\nseed = 7\n");
  ASSERT_EQ(p.cells.size(), 3u);
  EXPECT_EQ(p.cells[0].config.seed, 0u);
  EXPECT_EQ(p.cells[1].config.seed, 1u);
  EXPECT_EQ(p.cells[2].config.seed, 7u);
}

TEST_F(PlanTest, PretrainedWeightsArePartOfTheId) {
  TempDir weights;
  write_file(weights / "model.safetensors", "weights v1");
  const std::string text =
      "name = \"w\"\n[defaults]\nencoder.source = \"pretrained\"\nencoder.path = \"" + weights.path().string() + "\"\n";
  const auto first = ids(plan(text));
  write_file(weights / "model.safetensors", "weights v2");
  EXPECT_NE(ids(plan(text)), first);

  const std::string missing =
      "name = \"w\"\n[defaults]\nencoder.source = \"pretrained\"\nencoder.path = \"/no/such/dir\"\n";
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
    EXPECT_NE(std::string(e.what()).find("--set train.learning_rate=1e-4: unknown config key"), std::string::npos)
        << e.what();
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
