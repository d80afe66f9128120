// Hostile and malformed input through the command a user types, `hecto run`: a bad experiment
// file exits 2 before anything runs, naming file:line:column; bad data, bad weights and a
// diverging loss fail the cell with a message naming the file (or the step), never a crash.
// The parsers' own unit tests cover each rule; these check the whole path to the exit code.
#include <gtest/gtest.h>

#include <filesystem>

#include "model/encoder.h"
#include "tests/runner/child_process.h"

using namespace hecto::testing;
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

hecto::testing::CommandResult hecto_run(const std::string& file, const std::string& db, const std::string& extra = "",
                                        const std::string& data_dir = shared_data_dir().string()) {
  return run_command(hecto_binary() + " --threads 1 run " + quoted(file) + " --data-dir " + quoted(data_dir) +
                     " --db " + quoted(db) + " --cache-dir " + quoted(fs::path(db).parent_path() / "cache") + " " +
                     extra + " 2>&1");
}

struct BadFile {
  std::string name, text, where, problem;  // where: "line:column"
};

// A one-cell experiment on a tiny random encoder: fast, and needs no weights.
const std::string kTiny = R"(name = "tiny"
[defaults]
data.task = "sst2"
data.train_size = 40
data.eval_size = 40
data.max_len = 32
train.epochs = 1
[defaults.encoder]
mode = "frozen"
source = "random"
dim = 32
n_layers = 1
n_heads = 2
hidden_dim = 64
)";

}  // namespace

TEST(BadInput, ExperimentFilesExitTwoNamingFileLineAndColumn) {
  HECTO_REQUIRE_SHARED_DATA();
  const std::vector<BadFile> cases = {
      {"invalid.toml", "name = \"b\"\n[defaults]\ntrain.epochs = \n", "3:16", "invalid TOML"},
      {"duplicate.toml", "name = \"b\"\n[defaults]\ntrain.epochs = 1\ntrain.epochs = 2\n", "4:", "invalid TOML"},
      {"redefined.toml", "name = \"b\"\n[defaults]\ntrain.epochs = 1\n[defaults.train]\nepochs = 2\n", "4:1",
       "invalid TOML"},
      {"unknown.toml", "name = \"b\"\n[defaults]\ntrain.epochz = 2\n", "3:7", "did you mean 'train.epochs'"},
      {"type.toml", "name = \"b\"\n[defaults]\ntrain.epochs = \"two\"\n", "3:7", "wrong type"},
      {"date.toml", "name = \"b\"\n[matrix]\nseed = [1979-05-27]\n", "3:9", "dates and times"},
      {"inf.toml", "name = \"b\"\n[defaults]\ntrain.lr = inf\n", "3:12", "inf and nan"},
      {"batch0.toml", "name = \"b\"\n[defaults]\ntrain.batch_size = 0\n", "3:7", "positive"},
      {"batchneg.toml", "name = \"b\"\n[matrix]\nbatch_size = [16, -4]\n", "3:19", "positive"},
      {"emptyaxis.toml", "name = \"b\"\n[matrix]\nseed = []\n", "3:1", "is empty"},
      {"task.toml", "name = \"b\"\n[matrix]\ntask = [\"sst2\", \"imdb\"]\n", "3:17", "\"imdb\""},
      {"variant.toml", "name = \"b\"\n[variants.a]\n[matrix]\nvariant = [\"a\", \"bb\"]\n", "4:17",
       "unknown variant 'bb'"},
      {"framing.toml",
       "name = \"b\"\n[defaults]\nencoder.source = \"random\"\n[matrix]\ntask = [\"hotpotqa\"]\n"
       "data.framing = [\"question_type\", \"nope\"]\n",
       "6:34", "no framing 'nope'"},
      {"toplevel.toml", "name = \"b\"\nmatirx = 1\n", "2:1", "did you mean 'matrix'"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    const std::string path = write_file(dir / c.name, c.text).string();
    const auto r = hecto_run(path, (dir / "never.db").string());
    EXPECT_EQ(r.exit_code, 2) << c.name << "\n" << r.output;
    EXPECT_NE(r.output.find(path + ":" + c.where), std::string::npos) << c.name << "\n" << r.output;
    EXPECT_NE(r.output.find(c.problem), std::string::npos) << c.name << "\n" << r.output;
  }
  // Nothing ran, so nothing was created.
  EXPECT_FALSE(fs::exists(dir / "never.db"));
}

TEST(BadInput, IncludeCycleNamesTheIncludingLine) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string a = write_file(dir / "a.toml", "name = \"b\"\ninclude = \"b.toml\"\n").string();
  const std::string b = write_file(dir / "b.toml", "include = \"a.toml\"\n").string();
  const auto r = hecto_run(a, (dir / "never.db").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(b + ":1:11: include cycle"), std::string::npos) << r.output;
}

TEST(BadInput, BadSetOverridesExitTwoNamingTheFlag) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string file = write_file(dir / "tiny.toml", kTiny).string();
  const std::string db = (dir / "never.db").string();
  auto r = hecto_run(file, db, "--set train.epoch=2");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--set train.epoch=2: unknown config key"), std::string::npos) << r.output;
  r = hecto_run(file, db, "--set train.epochs=1 --set train.epochs=x");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--set train.epochs=x"), std::string::npos) << r.output;
  r = hecto_run(file, db, "--set 'variant=\"nope\"'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown variant 'nope'"), std::string::npos) << r.output;
  r = hecto_run(file, db, "--set train.batch_size=-1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(db));
}

// A learning rate of 1e30 sends the weights to infinity after one step: the cell fails and says
// at which step, the run goes on to the next cell and exits 1.
TEST(BadInput, NonFiniteLossFailsTheCellWithItsStep) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string file = write_file(dir / "tiny.toml", kTiny).string();
  const std::string db = (dir / "h.db").string();
  const auto r = hecto_run(file, db, "--set train.lr=1e30");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("non-finite loss"), std::string::npos) << r.output;
  EXPECT_EQ(db_scalar(db, "SELECT status FROM cells"), "failed");
  const std::string error = db_scalar(db, "SELECT error FROM cells");
  EXPECT_NE(error.find("non-finite loss"), std::string::npos) << error;
  EXPECT_NE(error.find("epoch 1, step "), std::string::npos) << error;
  EXPECT_EQ(db_scalar(db, "SELECT count(*) FROM metrics"), "0");
}

// A data directory of our own: the real vocabulary, and SST-2 files we can break.
class BadData : public ::testing::Test {
 protected:
  void SetUp() override {
    HECTO_REQUIRE_SHARED_DATA();
    fs::create_directories(dir_ / "data" / "tokenizer" / "bert-base-uncased");
    fs::copy_file(vocab_path(), dir_ / "data" / "tokenizer" / "bert-base-uncased" / "vocab.txt");
    write_file(dir_ / "data" / "sst2" / "dev.tsv", "sentence\tlabel\ngood film \t1\nbad film \t0\n");
    file_ = write_file(dir_ / "tiny.toml", kTiny).string();
  }
  void train_file(const std::string& text) { write_file(dir_ / "data" / "sst2" / "train.tsv", text); }
  CommandResult run(const std::string& db, const std::string& extra = "") {
    return hecto_run(file_, (dir_ / db).string(), extra, (dir_ / "data").string());
  }
  TempDir dir_;
  std::string file_;
};

TEST_F(BadData, EmptySplitNamesTheSplitAndItsFile) {
  train_file("sentence\tlabel\n");
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("sst2/train.tsv: the train split of task 'sst2' has no rows"), std::string::npos) << r.output;
}

TEST_F(BadData, SampleLargerThanTheDataNamesTheFile) {
  train_file("sentence\tlabel\na fine film \t1\na bad film \t0\n");
  const auto r = run("h.db", "--set data.train_size=50");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("sst2/train.tsv: train_size 50 is more than the 2 training rows"), std::string::npos)
      << r.output;
}

// Invalid UTF-8 in a data file is not fatal: the tokenizer drops the bad bytes (as Hugging Face's
// does after decoding with errors="ignore") and the cell runs.
TEST_F(BadData, InvalidUtf8TrainsAnyway) {
  train_file("sentence\tlabel\nwell \xff\xfe broken \xc3( text \t1\nfine \xe2\x82 text \t0\n\xf0\x9f\t1\n");
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(db_scalar((dir_ / "h.db").string(), "SELECT status FROM cells"), "done");
}

TEST_F(BadData, MissingFileExitsTwoBeforeRunning) {
  train_file("sentence\tlabel\na \t1\n");
  fs::remove(dir_ / "data" / "sst2" / "dev.tsv");
  const auto r = run("never.db");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("sst2/dev.tsv"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "never.db"));
}

TEST_F(BadData, WrongColumnsNameFileAndLine) {
  train_file("sentence\tlabel\na fine film \t1\nno tab here\n");
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("sst2/train.tsv:3"), std::string::npos) << r.output;
}

// Pretrained weights that are broken on disk: the cell fails naming the file and the problem.
class BadWeights : public BadData {
 protected:
  void SetUp() override {
    BadData::SetUp();
    if (IsSkipped()) return;
    train_file("sentence\tlabel\na fine film \t1\na bad film \t0\n");
    hecto::model::EncoderConfig c;
    c.dim = 16;
    c.n_layers = 1;
    c.n_heads = 2;
    c.hidden_dim = 32;
    c.max_position_embeddings = 64;
    hecto::model::Encoder enc(c);
    enc->init_weights(3);
    hecto::model::save_pretrained(enc, (dir_ / "weights").string(), vocab_path().string());
    std::string text = kTiny;
    text.replace(text.find("source = \"random\""), 17,
                 "source = \"pretrained\"\npath = \"" + (dir_ / "weights").string() + "\"");
    file_ = write_file(dir_ / "pretrained.toml", text).string();
  }
  std::string weights() const { return (dir_ / "weights" / "model.safetensors").string(); }
};

TEST_F(BadWeights, IntactWeightsRun) {
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(BadWeights, TruncatedWeightsFailTheCellNamingTheFile) {
  fs::resize_file(weights(), fs::file_size(weights()) - 100);
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(weights()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("truncated"), std::string::npos) << r.output;
}

TEST_F(BadWeights, HeaderLyingAboutOffsetsIsRefused) {
  // Same length, so the file size still matches: only the header's claims are wrong.
  std::string bytes = read_text(weights());
  const auto at = bytes.find("\"data_offsets\":[0,");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 18, "\"data_offsets\":[9,");
  write_file(weights(), bytes);
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(weights()), std::string::npos) << r.output;
}

TEST_F(BadWeights, ConfigNotMatchingTheWeightsListsTheMisShapedTensors) {
  const std::string config = (dir_ / "weights" / "config.json").string();
  std::string text = read_text(config);
  const auto at = text.find("\"dim\": 16");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 9, "\"dim\": 32");
  write_file(config, text);
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(config + ": dim = 32 but the weights' embeddings.word_embeddings.weight is [30522, 16]"),
            std::string::npos)
      << r.output;
}

// Sizes that would make LibTorch allocate hundreds of gigabytes: refused from the config and the
// weights' header before anything is allocated, in one line, without a torch backtrace.
TEST_F(BadWeights, AHugeConfigIsRefusedBeforeAnythingIsAllocated) {
  const std::string config = (dir_ / "weights" / "config.json").string();
  std::string text = read_text(config);
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"\"dim\": 16", "\"dim\": 65536"},
                                                        {"\"hidden_dim\": 32", "\"hidden_dim\": 1048576"},
                                                        {"\"n_layers\": 1", "\"n_layers\": 48"}}) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << "\n" << text;
    text.replace(at, from.size(), to);
  }
  write_file(config, text);
  const auto r = run("h.db", "--set data.train_size=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(config + ": dim = 65536"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("but the weights'"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("frame #"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("bad_alloc"), std::string::npos) << r.output;
}
