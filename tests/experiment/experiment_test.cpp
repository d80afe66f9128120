#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/error.h"
#include "experiment/experiment.h"
#include "tasks/task.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::experiment::expand_experiment;
using hecto::experiment::ExpandedCell;
using hecto::experiment::parse_experiment;
using hecto::experiment::parse_override;
using hecto::experiment::Settings;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

// The example of docs/experiments.md, with a random encoder so no weights are needed.
const char* kMain = R"(name = "main"
description = "Hecto vs homogeneous baselines"

[defaults]
data.train_size = 5000
train.epochs = 5
[defaults.encoder]
mode = "finetuned"
source = "random"

[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]
[variants.no_reg]
model.lambda_ent = 0.0
model.lambda_div = 0.0

[profiles.cpu]
data.train_size = 1000

[matrix]
task = ["agnews", "sst2"]
seed = [0, 1, 2]
batch_size = [16, 64]
variant = ["hecto", "ffnn_ffnn"]
encoder = ["finetuned"]
"train.lr" = [2e-5, 5e-5]
[[matrix.exclude]]
task = "sst2"
batch_size = 64
[[matrix.include]]
task = "stsb"
seed = 0
variant = "hecto"
batch_size = 16
encoder = "finetuned"
)";

std::vector<ExpandedCell> expand(const std::string& path, const std::string& profile = "",
                                 const std::vector<std::string>& sets = {}) {
  Settings overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return expand_experiment(parse_experiment(path), profile, overrides);
}

// The InputError message of expanding `text` (written to dir/name), or "" when none is thrown.
std::string error_of(const TempDir& dir, const std::string& text, const std::string& profile = "",
                     const std::vector<std::string>& sets = {}, const std::string& name = "exp.toml") {
  const auto path = write_file(dir / name, text).string();
  try {
    expand(path, profile, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal = "name = \"t\"\n[defaults]\nencoder.source = \"random\"\n";

}  // namespace

TEST(Experiment, ParsesEveryPart) {
  TempDir dir;
  const auto exp = parse_experiment(write_file(dir / "main.toml", kMain).string());
  EXPECT_EQ(exp.name, "main");
  EXPECT_EQ(exp.description, "Hecto vs homogeneous baselines");
  EXPECT_EQ(exp.variants.size(), 3u);
  EXPECT_TRUE(exp.variants.count("hecto"));
  EXPECT_TRUE(exp.variants.at("hecto").empty());
  EXPECT_EQ(exp.variants.at("no_reg").size(), 2u);
  EXPECT_EQ(exp.profiles.at("cpu").size(), 1u);
  ASSERT_TRUE(exp.matrix.has_value());
  std::vector<std::string> axes;
  for (const auto& a : exp.matrix->axes) axes.push_back(a.name);
  // File order, not toml++'s alphabetical order.
  EXPECT_EQ(axes, (std::vector<std::string>{"task", "seed", "batch_size", "variant", "encoder", "train.lr"}));
  EXPECT_EQ(exp.matrix->axes[5].key, "train.lr");
  EXPECT_EQ(exp.matrix->exclude.size(), 1u);
  EXPECT_EQ(exp.matrix->include.size(), 1u);
  EXPECT_EQ(exp.source_text, kMain);
  EXPECT_TRUE(exp.pretrain.is_null());
}

TEST(Experiment, ExpandsTheMatrixLastAxisFastest) {
  TempDir dir;
  const auto cells = expand(write_file(dir / "main.toml", kMain).string());
  // 2 tasks x 3 seeds x 2 batch sizes x 2 variants x 2 lrs = 48, minus sst2 at 64 (12), plus stsb.
  ASSERT_EQ(cells.size(), 37u);
  EXPECT_EQ(cells[0].axes.at("task"), "agnews");
  EXPECT_EQ(cells[0].config.train.lr, 2e-5);
  EXPECT_EQ(cells[1].config.train.lr, 5e-5);
  EXPECT_EQ(cells[1].axes.at("train.lr"), "5e-05");
  EXPECT_EQ(cells[2].config.variant, "ffnn_ffnn");
  EXPECT_EQ(cells[2].config.model.experts,
            (std::vector<hecto::model::ExpertKind>{hecto::model::ExpertKind::FFNN, hecto::model::ExpertKind::FFNN}));
  EXPECT_EQ(cells[4].config.train.batch_size, 64);
  EXPECT_EQ(cells[8].config.seed, 1u);
  for (const auto& c : cells) {
    EXPECT_FALSE(c.config.data.task == "sst2" && c.config.train.batch_size == 64);
    EXPECT_EQ(c.config.experiment, "main");
    for (const char* axis : {"task", "seed", "batch_size", "variant", "encoder", "train.lr"})
      EXPECT_TRUE(c.axes.count(axis)) << axis;
  }
  const auto& added = cells.back();
  EXPECT_EQ(added.config.data.task, "stsb");
  EXPECT_EQ(added.config.train.lr, 2e-5);  // not in the include row: the Config default
  EXPECT_EQ(added.axes.at("encoder"), "finetuned");
  EXPECT_EQ(added.axes.at("batch_size"), "16");
}

TEST(Experiment, NoMatrixIsOneCellNamingTheCoreAxes) {
  TempDir dir;
  const auto cells = expand(write_file(dir / "one.toml", kMinimal).string());
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(
      cells[0].axes,
      (std::map<std::string, std::string>{
          {"task", "agnews"}, {"seed", "0"}, {"batch_size", "16"}, {"variant", "hecto"}, {"encoder", "finetuned"}}));
}

TEST(Experiment, PrecedenceDefaultsProfileVariantMatrixSet) {
  TempDir dir;
  const auto path = write_file(dir / "p.toml", R"(name = "p"
[defaults]
encoder.source = "random"
train.lr = 1e-3
train.epochs = 1
data.max_len = 32
model.temperature = 2.0
[profiles.fast]
train.lr = 2e-3
train.epochs = 2
data.max_len = 40
[variants.plain]
[variants.v]
train.epochs = 3
data.max_len = 50
[matrix]
variant = ["plain", "v"]
"data.max_len" = [64]
)")
                        .string();
  auto cells = expand(path);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].config.train.lr, 1e-3);  // [defaults] over Config
  EXPECT_EQ(cells[0].config.model.temperature, 2.0);
  EXPECT_EQ(cells[0].config.train.epochs, 1);
  EXPECT_EQ(cells[1].config.train.epochs, 3);   // variant over defaults
  EXPECT_EQ(cells[1].config.data.max_len, 64);  // matrix over variant
  cells = expand(path, "fast");
  EXPECT_EQ(cells[0].config.train.lr, 2e-3);  // profile over defaults
  EXPECT_EQ(cells[0].config.train.epochs, 2);
  EXPECT_EQ(cells[1].config.train.epochs, 3);   // variant over profile
  EXPECT_EQ(cells[1].config.data.max_len, 64);  // matrix over profile
  cells = expand(path, "fast", {"data.max_len=100", "train.epochs=9"});
  EXPECT_EQ(cells[1].config.data.max_len, 100);        // --set over matrix
  EXPECT_EQ(cells[1].config.train.epochs, 9);          // --set over variant
  EXPECT_EQ(cells[1].axes.at("data.max_len"), "100");  // axes tell what the cell really is
}

TEST(Experiment, AProfileSetsOneTaskAboveItsOwnSettingsAndBelowVariantsMatrixAndSet) {
  TempDir dir;
  const auto path = write_file(dir / "t.toml", R"(name = "t"
[defaults]
encoder.source = "random"
data.train_size = 100
[profiles.cpu]
data.train_size = 500
train.epochs = 2
[profiles.cpu.tasks.sst2]
data.train_size = 1000
[profiles.cpu.tasks.hotpotqa]
data.train_size = 0
train.epochs = 4
[variants.hecto]
[variants.long]
train.epochs = 6
[matrix]
task = ["agnews", "sst2", "hotpotqa"]
variant = ["hecto", "long"]
[[matrix.include]]
task = "sst2"
variant = "long"
"data.train_size" = 2000
)")
                        .string();
  auto cells = expand(path, "cpu");
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0].config.data.train_size, 500);   // agnews: the profile's own
  EXPECT_EQ(cells[2].config.data.train_size, 1000);  // sst2: the profile's task table over its own
  EXPECT_EQ(cells[3].config.data.train_size, 2000);  // sst2, long: the matrix over the task table
  EXPECT_EQ(cells[4].config.data.train_size, 0);     // hotpotqa: all of its training file
  EXPECT_EQ(cells[4].config.train.epochs, 4);
  EXPECT_EQ(cells[5].config.train.epochs, 6);  // the variant over the task table
  EXPECT_EQ(cells[2].origin.at("data.train_size").line, 9);
  cells = expand(path, "cpu", {"data.train_size=7"});
  EXPECT_EQ(cells[2].config.data.train_size, 7);  // --set over everything
  cells = expand(path);                           // no profile: no task table either
  EXPECT_EQ(cells[2].config.data.train_size, 100);
  const auto one =
      write_file(dir / "one.toml", std::string(kMinimal) + "[profiles.cpu.tasks.sst2]\ndata.train_size = 9\n");
  cells = expand(one.string(), "cpu", {"task=sst2"});  // the task --set chooses picks the table
  EXPECT_EQ(cells[0].config.data.train_size, 9);
}

TEST(ExperimentErrors, AProfileTaskTableNamesAKnownTaskAndKnownKeys) {
  TempDir dir;
  std::string e = error_of(dir, std::string(kMinimal) + "[profiles.cpu.tasks.imbd]\ndata.train_size = 3\n", "cpu");
  EXPECT_NE(e.find("exp.toml:5:6: invalid value \"imbd\" for data.task"), std::string::npos) << e;
  e = error_of(dir, std::string(kMinimal) + "[profiles.cpu.tasks.sst2]\ndata.train_sise = 3\n", "cpu");
  EXPECT_NE(e.find("exp.toml:5:6: unknown config key 'data.train_sise'"), std::string::npos) << e;
  e = error_of(dir, std::string(kMinimal) + "[profiles.cpu.tasks]\nsst2 = 3\n", "cpu");
  EXPECT_NE(e.find("exp.toml:5:1: 'tasks.sst2' in [profiles.cpu] names no config key"), std::string::npos) << e;
  e = error_of(dir, std::string(kMinimal) + "[profiles.cpu.tasks.sst2]\ndata.task = \"agnews\"\n", "cpu");
  EXPECT_NE(e.find("[profiles.cpu.tasks.sst2] sets data.task"), std::string::npos) << e;
}

TEST(Experiment, SetSelectsAVariantAndItsOverrides) {
  TempDir dir;
  const auto path =
      write_file(dir / "v.toml", std::string(kMinimal) + "[variants.hecto]\n[variants.top2]\nmodel.top_k = 2\n")
          .string();
  const auto cells = expand(path, "", {"variant=top2"});
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].config.variant, "top2");
  EXPECT_EQ(cells[0].config.model.top_k, 2);
}

TEST(Experiment, OverridesParseAsTomlValues) {
  auto s = parse_override("train.lr=3e-5");
  EXPECT_EQ(s.key, "train.lr");
  EXPECT_EQ(s.value.get<double>(), 3e-5);
  s = parse_override("model.experts=[\"gru\",\"gru\"]");
  EXPECT_EQ(s.value, nlohmann::json({"gru", "gru"}));
  EXPECT_EQ(parse_override("data.task=\"sst2\"").value, "sst2");
  EXPECT_EQ(parse_override("data.task=sst2").value, "sst2");     // bare text is a string
  EXPECT_EQ(parse_override("encoder.name=2024").value, "2024");  // string keys keep the text
  EXPECT_EQ(parse_override("encoder.path=weights/x y").value, "weights/x y");
  EXPECT_EQ(parse_override("model.sparse_dispatch=false").value, false);
  EXPECT_EQ(parse_override("task=stsb").key, "data.task");  // short axis names work too
}

TEST(Experiment, BadOverridesNameTheFlagAndTheExpectedForm) {
  auto error = [](const std::string& text) -> std::string {
    try {
      parse_override(text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  std::string e = error("train.epoch=3");
  EXPECT_NE(e.find("--set train.epoch=3: unknown config key 'train.epoch' (did you mean 'train.epochs'?)"),
            std::string::npos)
      << e;
  e = error("train.epochs");
  EXPECT_NE(e.find("--set train.epochs: malformed override (expected key=value"), std::string::npos) << e;
  e = error("=3");
  EXPECT_NE(e.find("malformed override"), std::string::npos) << e;
  e = error("train.epochs=abc");
  EXPECT_NE(e.find("--set train.epochs=abc"), std::string::npos) << e;
  EXPECT_NE(e.find("expected an integer"), std::string::npos) << e;
  e = error("model.experts=[\"gru\",");
  EXPECT_NE(e.find("list of strings"), std::string::npos) << e;
  e = error("train.lr=0");
  EXPECT_NE(e.find("positive"), std::string::npos) << e;
}

TEST(Experiment, IncludesMergeWithLaterFilesWinning) {
  TempDir dir;
  write_file(dir / "shared/common.toml", R"(name = "common"
description = "from common"
[defaults]
encoder.source = "random"
train.epochs = 7
data.train_size = 300
[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]
[profiles.cpu]
data.train_size = 100
[pretrain]
corpus = "wiki"
steps = 10
)");
  write_file(dir / "shared/more.toml", "[defaults]\ntrain.epochs = 8\n[variants.ffnn_ffnn]\nmodel.top_k = 2\n");
  const auto path = write_file(dir / "exp/main.toml", R"(name = "main"
include = ["../shared/common.toml", "../shared/more.toml"]
[defaults]
data.train_size = 400
[pretrain]
steps = 20
[matrix]
variant = ["hecto", "ffnn_ffnn"]
)")
                        .string();
  const auto exp = parse_experiment(path);
  EXPECT_EQ(exp.name, "main");
  EXPECT_EQ(exp.description, "from common");
  EXPECT_EQ(exp.files.size(), 3u);
  EXPECT_EQ(exp.pretrain, nlohmann::json({{"corpus", "wiki"}, {"steps", 20}}));
  EXPECT_NE(exp.source_text.find("# ---- included file: "), std::string::npos);
  EXPECT_EQ(exp.source_text.rfind("name = \"main\"", 0), 0u);  // the given file comes first
  const auto cells = expand(path);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].config.train.epochs, 8);       // more.toml over common.toml
  EXPECT_EQ(cells[0].config.data.train_size, 400);  // the including file over both
  EXPECT_EQ(cells[1].config.model.experts,
            (std::vector<hecto::model::ExpertKind>{hecto::model::ExpertKind::FFNN, hecto::model::ExpertKind::FFNN}));
  EXPECT_EQ(cells[1].config.model.top_k, 2);  // a variant merges key by key
  EXPECT_EQ(expand(path, "cpu")[0].config.data.train_size, 100);
}

TEST(Experiment, IncludeCycleIsAnError) {
  TempDir dir;
  write_file(dir / "a.toml", "name = \"a\"\ninclude = [\"b.toml\"]\n");
  write_file(dir / "b.toml", "name = \"b\"\n\ninclude = [\"a.toml\"]\n");
  const std::string e = error_of(dir, "name = \"top\"\ninclude = [\"a.toml\"]\n");
  EXPECT_NE(e.find("b.toml:3:12: include cycle: exp.toml -> a.toml -> b.toml -> a.toml"), std::string::npos) << e;
  const std::string self = error_of(dir, "name = \"s\"\ninclude = \"self.toml\"\n", "", {}, "self.toml");
  EXPECT_NE(self.find("self.toml:2:11: include cycle"), std::string::npos) << self;
  const std::string missing = error_of(dir, "name = \"m\"\ninclude = [\"nope.toml\"]\n");
  EXPECT_NE(missing.find("exp.toml:2:12: cannot read experiment file"), std::string::npos) << missing;
}

TEST(ExperimentErrors, IncludeOfADirectoryOrAFifoIsRefusedNotReadOrWaitedOn) {
  TempDir dir;
  std::filesystem::create_directories(dir / "defaults.toml");
  const std::string directory = error_of(dir, "name = \"d\"\ninclude = [\"defaults.toml\"]\n");
  EXPECT_NE(directory.find("exp.toml:2:12: experiment file"), std::string::npos) << directory;
  EXPECT_NE(directory.find("is a directory (expected a regular file)"), std::string::npos) << directory;
  // A FIFO with no writer would block open() forever: the error must come before any read.
  ASSERT_EQ(mkfifo((dir / "pipe.toml").c_str(), 0600), 0);
  const std::string fifo = error_of(dir, "name = \"f\"\ninclude = [\"pipe.toml\"]\n");
  EXPECT_NE(fifo.find("exp.toml:2:12: experiment file"), std::string::npos) << fifo;
  EXPECT_NE(fifo.find("is not a regular file"), std::string::npos) << fifo;
}

TEST(ExperimentErrors, AnAstronomicalMatrixIsRefusedBeforeExpansionNamingItsAxes) {
  TempDir dir;
  std::string seeds;
  for (int i = 0; i < 1000; ++i) seeds += (i ? ", " : "") + std::to_string(i);
  std::string text = std::string(kMinimal) + "[matrix]\nseed = [" + seeds + "]\n";
  for (const char* axis : {"train.epochs", "train.batch_size", "data.max_len", "model.proj_dim", "model.gate_hidden",
                           "model.expert_hidden"})
    text += std::string(axis) + " = [" + seeds.substr(seeds.find(", 1, ") + 2) + "]\n";
  const std::string e = error_of(dir, text);
  EXPECT_NE(e.find("the matrix has more than 18446744073709551615 cells: seed (1000) x train.epochs (999)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("at most 100000 cells"), std::string::npos) << e;
  // Just over the limit is refused too; the limit itself is not.
  std::string big = std::string(kMinimal) + "[matrix]\nseed = [" + seeds + "]\ntrain.epochs = [";
  for (int i = 1; i <= 101; ++i) big += (i > 1 ? ", " : "") + std::to_string(i);
  EXPECT_NE(error_of(dir, big + "]\n").find("the matrix has 101000 cells"), std::string::npos);
}

TEST(Experiment, ExcludeDropsPartialMatchesIncludeExtendsOrAdds) {
  TempDir dir;
  const auto path = write_file(dir / "m.toml", R"(name = "m"
[defaults]
encoder.source = "random"
[matrix]
task = ["agnews", "sst2"]
seed = [0, 1]
[[matrix.exclude]]
seed = 1
task = "agnews"
[[matrix.include]]
task = "sst2"
"train.lr" = 1e-4
[[matrix.include]]
task = "stsb"
seed = 5
[[matrix.include]]
task = "agnews"
seed = 0
)")
                        .string();
  const auto cells = expand(path);
  ASSERT_EQ(cells.size(), 4u);  // agnews/0, sst2/0, sst2/1, stsb/5; the last row matches agnews/0: nothing new
  EXPECT_EQ(cells[0].axes.at("task"), "agnews");
  EXPECT_EQ(cells[0].config.train.lr, 2e-5);
  EXPECT_EQ(cells[1].config.train.lr, 1e-4);  // extra key added to every sst2 combination
  EXPECT_EQ(cells[2].config.train.lr, 1e-4);
  EXPECT_EQ(cells[2].config.seed, 1u);
  EXPECT_EQ(cells[3].config.data.task, "stsb");
  EXPECT_EQ(cells[3].config.seed, 5u);
  EXPECT_EQ(cells[3].config.train.lr, 2e-5);
  EXPECT_EQ(cells[1].axes.at("train.lr"), "0.0001");  // an include's extra key is an axis of every cell
  EXPECT_EQ(cells[0].axes.at("train.lr"), "2e-05");
}

TEST(Experiment, PretrainPassesThroughUntouched) {
  TempDir dir;
  const auto exp =
      parse_experiment(write_file(dir / "pt.toml", std::string(kMinimal) +
                                                       "[pretrain]\nanything = [1, 2]\n[pretrain.nested]\nx = \"y\"\n")
                           .string());
  EXPECT_EQ(exp.pretrain, nlohmann::json({{"anything", {1, 2}}, {"nested", {{"x", "y"}}}}));
  TempDir dir2;
  EXPECT_NE(error_of(dir2, "name = \"t\"\npretrain = 3\n").find("exp.toml:2:12: [pretrain] is an integer"),
            std::string::npos);
}

// ---- every validation error names file:line:column ----

TEST(ExperimentErrors, InvalidToml) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[defaults\ntrain.epochs = 3\n");
  EXPECT_NE(e.find("exp.toml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("invalid TOML"), std::string::npos) << e;
}

TEST(ExperimentErrors, MissingName) {
  TempDir dir;
  const std::string e = error_of(dir, "[defaults]\ntrain.epochs = 3\n");
  EXPECT_NE(e.find("exp.toml:1:1: the experiment has no name"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownTopLevelKey) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n\n[matrx]\nseed = [0]\n");
  EXPECT_NE(e.find("exp.toml:3:2: unknown top-level key 'matrx' (did you mean 'matrix'?)"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownConfigKeySuggestsClosest) {
  TempDir dir;
  std::string e = error_of(dir, "name = \"x\"\n[defaults]\ntrain.epoch = 3\n");
  EXPECT_NE(e.find("exp.toml:3:7: unknown config key 'train.epoch' (did you mean 'train.epochs'?)"), std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[variants.v]\nmodel.lamda_div = 0.0\n");
  EXPECT_NE(e.find("exp.toml:3:7: unknown config key 'model.lamda_div' (did you mean 'model.lambda_div'?)"),
            std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[profiles.cpu]\n[profiles.cpu.data]\ntrain_sise = 3\n");
  EXPECT_NE(e.find("exp.toml:4:1: unknown config key 'data.train_sise' (did you mean 'data.train_size'?)"),
            std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[matrix]\ntasks = [\"agnews\"]\n");
  EXPECT_NE(e.find("exp.toml:3:1: unknown config key 'tasks' (did you mean 'data.task'?)"), std::string::npos) << e;
}

TEST(ExperimentErrors, WrongType) {
  TempDir dir;
  std::string e = error_of(dir, "name = \"x\"\n[defaults]\ntrain.epochs = \"five\"\n");
  EXPECT_NE(e.find("exp.toml:3:7: train.epochs = \"five\" has the wrong type"), std::string::npos) << e;
  EXPECT_NE(e.find("expected an integer"), std::string::npos) << e;
  e = error_of(dir, "name = \"x\"\n[defaults]\nencoder.source = \"random\"\ntrain.lr = 1\n");
  EXPECT_EQ(e, "");  // an integer is accepted for a float key
  e = error_of(dir, "name = 3\n");
  EXPECT_NE(e.find("exp.toml:1:8: name is an integer (expected a non-empty string)"), std::string::npos) << e;
  e = error_of(dir, "name = \"x\"\n[matrix]\nseed = 3\n");
  EXPECT_NE(e.find("exp.toml:3:1: matrix axis 'seed' is an integer (expected a list of values"), std::string::npos)
      << e;
}

TEST(ExperimentErrors, EmptyAxis) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[matrix]\ntask = [\"agnews\"]\nseed = []\n");
  EXPECT_NE(e.find("exp.toml:4:1: matrix axis 'seed' is empty (expected at least one value)"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownTask) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[matrix]\ntask = [\"agnews\", \"imdb\"]\n");
  EXPECT_NE(e.find("exp.toml:3:19: invalid value \"imdb\" for data.task"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownVariant) {
  TempDir dir;
  std::string e = error_of(
      dir, "name = \"x\"\n[variants.hecto]\n[variants.ffnn_ffnn]\n[matrix]\nvariant = [\"hecto\", \"ffnn_fnn\"]\n");
  EXPECT_NE(
      e.find(
          "exp.toml:5:21: unknown variant 'ffnn_fnn' (did you mean 'ffnn_ffnn'?) (expected one of: ffnn_ffnn, hecto)"),
      std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[matrix]\nvariant = [\"hecto\"]\n");
  EXPECT_NE(e.find("exp.toml:3:12: unknown variant 'hecto'"), std::string::npos) << e;
  e = error_of(dir, std::string(kMinimal) + "[variants.hecto]\n", "", {"variant=top3"});
  EXPECT_NE(e.find("--set variant=top3: unknown variant 'top3'"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownProfile) {
  TempDir dir;
  std::string e = error_of(dir, std::string(kMinimal) + "[profiles.cpu]\n[profiles.paper]\n", "gpu");
  EXPECT_NE(e.find("--profile gpu: unknown profile 'gpu'"), std::string::npos) << e;
  EXPECT_NE(e.find("expected one of: cpu, paper"), std::string::npos) << e;
  e = error_of(dir, kMinimal, "cpu");
  EXPECT_NE(e.find("no [profiles]"), std::string::npos) << e;
}

TEST(ExperimentErrors, NonPositiveSizesAndRates) {
  TempDir dir;
  std::string e = error_of(dir, "name = \"x\"\n[matrix]\nbatch_size = [16, 0]\n");
  EXPECT_NE(e.find("exp.toml:3:19: invalid value 0 for train.batch_size (expected a positive number)"),
            std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[defaults]\ntrain.epochs = 0\n");
  EXPECT_NE(e.find("exp.toml:3:7: invalid value 0 for train.epochs"), std::string::npos) << e;
  e = error_of(dir, "name = \"x\"\n[defaults.data]\nmax_len = -1\n");
  EXPECT_NE(e.find("exp.toml:3:1: invalid value -1 for data.max_len"), std::string::npos) << e;
  e = error_of(dir, "name = \"x\"\n[profiles.p]\ntrain.lr = 0.0\n");
  EXPECT_NE(e.find("exp.toml:3:7: invalid value 0.0 for train.lr"), std::string::npos) << e;
  e = error_of(dir, "name = \"x\"\n[matrix]\n\"train.lr\" = [-1e-5]\n");
  EXPECT_NE(e.find("exp.toml:3:15: invalid value -1e-05 for train.lr"), std::string::npos) << e;
}

TEST(ExperimentErrors, TopKAboveNumberOfExperts) {
  TempDir dir;
  const std::string e = error_of(
      dir, std::string(kMinimal) +
               "[variants.hecto]\n[variants.top3]\nmodel.top_k = 3\n[matrix]\nvariant = [\"hecto\", \"top3\"]\n");
  EXPECT_NE(e.find("exp.toml:6:7: model.top_k = 3 but the cell has only 2 expert(s)"), std::string::npos) << e;
}

TEST(ExperimentErrors, UnknownExpertKind) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[variants.v]\nmodel.experts = [\"ffnn\", \"lstm\"]\n");
  EXPECT_NE(e.find("exp.toml:3:7: invalid value [\"ffnn\",\"lstm\"] for model.experts"), std::string::npos) << e;
  EXPECT_NE(e.find("got \"lstm\""), std::string::npos) << e;
}

TEST(ExperimentErrors, EncoderModeAndPadding) {
  TempDir dir;
  std::string e = error_of(dir, "name = \"x\"\n[matrix]\nencoder = [\"frozen\", \"thawed\"]\n");
  EXPECT_NE(e.find("exp.toml:3:22: invalid value \"thawed\" for encoder.mode (expected \"frozen\" or \"finetuned\")"),
            std::string::npos)
      << e;
  e = error_of(dir, "name = \"x\"\n[defaults]\ntrain.padding = \"longest\"\n");
  EXPECT_NE(e.find("exp.toml:3:7: invalid value \"longest\" for train.padding (expected \"dynamic\" or \"max\")"),
            std::string::npos)
      << e;
}

TEST(ExperimentErrors, PretrainedEncoderNeedsAPath) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n");
  EXPECT_NE(e.find("encoder.source is \"pretrained\" but encoder.path is empty"), std::string::npos) << e;
}

TEST(ExperimentErrors, ExcludeMustNameAnAxisAndLeaveCells) {
  TempDir dir;
  std::string e = error_of(dir, std::string(kMinimal) + "[matrix]\nseed = [0]\n[[matrix.exclude]]\ntask = \"sst2\"\n");
  EXPECT_NE(e.find("exp.toml:7:1: matrix.exclude names 'task', which is not a matrix axis"), std::string::npos) << e;
  e = error_of(dir, std::string(kMinimal) + "[matrix]\nseed = [0]\n[[matrix.exclude]]\nseed = 0\n");
  EXPECT_NE(e.find("removes every cell"), std::string::npos) << e;
}

TEST(ExperimentErrors, AxisGivenTwice) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[matrix]\ntask = [\"agnews\"]\n\"data.task\" = [\"sst2\"]\n");
  EXPECT_NE(e.find("sets data.task, as axis"), std::string::npos) << e;
}

TEST(ExperimentErrors, ExperimentNameIsNotAConfigKey) {
  TempDir dir;
  const std::string e = error_of(dir, "name = \"x\"\n[defaults]\nexperiment = \"y\"\n");
  EXPECT_NE(e.find("exp.toml:3:1: 'experiment' cannot be set in [defaults]"), std::string::npos) << e;
}

TEST(Experiment, FramingDefaultsAndIsChecked) {
  TempDir dir;
  const auto cells = expand(
      write_file(dir / "f.toml", std::string(kMinimal) + "[matrix]\ntask = [\"hotpotqa\", \"agnews\"]\n").string());
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_FALSE(cells[0].config.data.framing.empty());
  EXPECT_EQ(cells[0].config.data.framing, hecto::tasks::default_framing("hotpotqa"));
  EXPECT_EQ(cells[1].config.data.framing, "");
  const std::string e = error_of(dir, std::string(kMinimal) + "data.framing = \"question_type\"\n");
  EXPECT_NE(e.find("exp.toml:4:6: task 'agnews' has no framing 'question_type'"), std::string::npos) << e;
}
