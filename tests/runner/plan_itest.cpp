// The real experiment files against the real data: every paper file expands, the same cell in two
// files has one id, and the plan / status / slurm commands work end to end.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "experiment/plan.h"
#include "tests/testing.h"

using hecto::experiment::load_plan;
using hecto::experiment::Plan;
using hecto::experiment::PlanOptions;
using hecto::testing::run_command;
using hecto::testing::shared_data_dir;
using hecto::testing::source_dir;
using hecto::testing::TempDir;

namespace {

Plan paper(const std::string& file, const std::string& profile = "smoke") {
  PlanOptions o;
  o.profile = profile;
  o.data_dir = shared_data_dir().string();
  return load_plan((source_dir() / "experiments" / file).string(), o);
}

std::string hecto_cmd() { return (hecto::testing::binary_dir() / "hecto").string(); }

}  // namespace

TEST(PlanReal, PaperFilesExpand) {
  HECTO_REQUIRE_SHARED_DATA();
  const Plan main = paper("paper/main.toml");
  EXPECT_EQ(main.experiment, "paper-main");
  // 4 tasks x 3 Hecto variants x 3 seeds, the majority and TF-IDF floors on every task, the
  // cosine floor on STS-B only: 36 + 24 + 3.
  ASSERT_EQ(main.cells.size(), 63u);
  std::set<std::string> ids;
  for (const auto& c : main.cells) {
    ids.insert(c.id);
    if (c.config.data.task == "hotpotqa") {
      EXPECT_FALSE(c.config.data.framing.empty());
    }
    EXPECT_EQ(c.config.encoder.source, hecto::experiment::EncoderSource::Random);  // the smoke profile
  }
  EXPECT_EQ(ids.size(), 63u);
  EXPECT_EQ(paper("paper/ablations.toml").cells.size(), 12u);
  EXPECT_EQ(paper("paper/batch_size.toml").cells.size(), 12u);
  EXPECT_EQ(paper("paper/encoder.toml").cells.size(), 6u);
  EXPECT_EQ(paper("smoke.toml", "").cells.size(), 8u);
}

TEST(PlanReal, OneCellInTwoExperimentsHasOneId) {
  HECTO_REQUIRE_SHARED_DATA();
  auto find = [](const Plan& p) {
    for (const auto& c : p.cells)
      if (c.axes.at("task") == "agnews" && c.axes.at("variant") == "hecto" && c.axes.at("seed") == "0" &&
          c.axes.at("batch_size") == "16" && c.axes.at("encoder") == "finetuned")
        return c.id;
    return std::string();
  };
  const std::string a = find(paper("paper/main.toml")), b = find(paper("paper/batch_size.toml"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, find(paper("paper/main.toml")));
}

// The five-seed file holds the claims' AG News cells; its seeds 0-2 are the profile files' own
// cells (same ids), so a database that holds those runs only seeds 3 and 4.
TEST(PlanReal, FiveSeedsExtendTheProfileFilesClaimCells) {
  HECTO_REQUIRE_SHARED_DATA();
  const Plan five = paper("paper/five-seeds.toml");
  EXPECT_EQ(five.experiment, "paper-five-seeds");
  ASSERT_EQ(five.cells.size(), 40u);  // 8 configurations x 5 seeds
  std::set<std::string> profile_ids;
  for (const char* file : {"paper/main.toml", "paper/batch_size.toml", "paper/encoder.toml", "paper/ablations.toml"})
    for (const auto& c : paper(file).cells) profile_ids.insert(c.id);
  int shared = 0;
  for (const auto& c : five.cells) {
    const bool early_seed = std::stoi(c.axes.at("seed")) <= 2;
    EXPECT_EQ(profile_ids.count(c.id) == 1, early_seed) << c.axes.at("variant") << " seed " << c.axes.at("seed");
    shared += early_seed;
  }
  EXPECT_EQ(shared, 24);
}

// `--only task=agnews` selects the main file's AG News rows with their own ids; `--set task=agnews`
// would give every cell AG News with other tasks' per-task rows, so it is refused.
TEST(PlanReal, OnlySelectsRowsWhereSetOfAMatchedAxisIsRefused) {
  HECTO_REQUIRE_SHARED_DATA();
  const Plan all = paper("paper/main.toml");
  PlanOptions o;
  o.profile = "smoke";
  o.data_dir = shared_data_dir().string();
  o.only = {"task=agnews"};
  const Plan agnews = load_plan((source_dir() / "experiments/paper/main.toml").string(), o);
  ASSERT_EQ(agnews.cells.size(), 15u);  // 3 Hecto variants and 2 floors x 3 seeds
  std::set<std::string> all_ids;
  for (const auto& c : all.cells) all_ids.insert(c.id);
  for (const auto& c : agnews.cells) {
    EXPECT_TRUE(all_ids.count(c.id)) << c.id;
    EXPECT_TRUE(c.config.data.train_file.empty()) << c.id;  // not HotpotQA's file
  }
  const auto r = run_command(hecto_cmd() + " plan " + (source_dir() / "experiments/paper/main.toml").string() +
                             " --profile smoke --data-dir " + shared_data_dir().string() + " --set task=agnews");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--set task=agnews: the matrix sweeps data.task"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--only task=agnews"), std::string::npos) << r.output;

  // Status over several files: one without SST-2 cells (encoder.toml) counts none.
  const std::string paper_dir = (source_dir() / "experiments/paper/").string();
  const std::string files = paper_dir + "main.toml " + paper_dir + "encoder.toml";
  const std::string flags = " --profile smoke --data-dir " + shared_data_dir().string() + " --db none.db";
  auto s = run_command(hecto_cmd() + " status " + files + flags + " --only task=sst2");
  EXPECT_EQ(s.exit_code, 0) << s.output;
  EXPECT_NE(s.output.find("paper-encoder"), std::string::npos) << s.output;
  s = run_command(hecto_cmd() + " status " + files + flags + " --only seed=7");
  EXPECT_EQ(s.exit_code, 2) << s.output;
  EXPECT_NE(s.output.find("no cell of any of the 2 files satisfies every --only"), std::string::npos) << s.output;
}

TEST(PlanReal, CommandsPlanStatusSlurm) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string smoke = (source_dir() / "experiments/smoke.toml").string();
  const std::string data = " --data-dir " + shared_data_dir().string();
  auto r = run_command(hecto_cmd() + " plan " + smoke + data + " --db " + (dir / "none.db").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("smoke ("), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("total: 8 cells, 0 done"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("variant"), std::string::npos) << r.output;

  r = run_command(hecto_cmd() + " plan " + smoke + data + " --json --db " + (dir / "none.db").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(r.output)["cells"].size(), 8u);

  r = run_command(hecto_cmd() + " plan " + smoke + data + " --set train.epoch=2");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean 'train.epochs'"), std::string::npos) << r.output;

  r = run_command(hecto_cmd() + " status " + smoke + data + " --db " + (dir / "none.db").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("smoke"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("8"), std::string::npos) << r.output;

  r = run_command(hecto_cmd() + " slurm " + smoke + data + " --shards 3 --output " + (dir / "slurm").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "slurm/hecto-array.sbatch")) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "slurm/submit.sh"));
}
