// `hecto tokenize` end to end: the real binary, the real vocab, --json and stdin.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "tests/testing.h"

using hecto::testing::run_command;

namespace {

std::string tokenize_cmd(const std::string& args) {
  return (hecto::testing::binary_dir() / "hecto").string() + " -q tokenize --vocab " +
         hecto::testing::vocab_path().string() + " " + args;
}

std::vector<nlohmann::json> json_lines(const std::string& output) {
  std::vector<nlohmann::json> out;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST(CliTokenize, JsonHasTextTokensAndIds) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto r = run_command(tokenize_cmd("--json 'Hello, my dog is cute' 'Héllo'"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lines = json_lines(r.output);
  ASSERT_EQ(lines.size(), 2u) << r.output;
  EXPECT_EQ(lines[0]["text"], "Hello, my dog is cute");
  EXPECT_EQ(lines[0]["ids"], nlohmann::json({101, 7592, 1010, 2026, 3899, 2003, 10140, 102}));
  EXPECT_EQ(lines[0]["tokens"], nlohmann::json({"[CLS]", "hello", ",", "my", "dog", "is", "cute", "[SEP]"}));
  EXPECT_EQ(lines[1]["tokens"], nlohmann::json({"[CLS]", "hello", "[SEP]"}));
}

TEST(CliTokenize, DashReadsTextsFromStdin) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto r = run_command("printf 'the cat\\nunaffable\\n' | " + tokenize_cmd("--json --max-len 4 -"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto lines = json_lines(r.output);
  ASSERT_EQ(lines.size(), 2u) << r.output;
  EXPECT_EQ(lines[0]["text"], "the cat");
  EXPECT_EQ(lines[0]["ids"], nlohmann::json({101, 1996, 4937, 102}));
  EXPECT_EQ(lines[1]["tokens"], nlohmann::json({"[CLS]", "una", "##ffa", "[SEP]"}));  // cut to --max-len 4
}

TEST(CliTokenize, PairAndHumanReadableOutput) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto r = run_command(tokenize_cmd("--pair 'b' 'a'"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("[CLS] a [SEP] b [SEP]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("101 1037 102 1038 102"), std::string::npos) << r.output;
}

TEST(CliTokenize, MissingVocabIsBadInput) {
  const auto r =
      run_command((hecto::testing::binary_dir() / "hecto").string() + " tokenize --vocab /nonexistent/vocab.txt hello");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/vocab.txt"), std::string::npos) << r.output;
}

TEST(CliTokenize, FindsTheDefaultVocabThroughHectoDataDir) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto r = run_command("cd / && HECTO_DATA_DIR=" + hecto::testing::shared_data_dir().string() + " " +
                             (hecto::testing::binary_dir() / "hecto").string() + " tokenize --json dog");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("[101,3899,102]"), std::string::npos) << r.output;
  const auto none = run_command("cd / && HECTO_DATA_DIR=/nonexistent " +
                                (hecto::testing::binary_dir() / "hecto").string() + " tokenize dog");
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("$HECTO_DATA_DIR='/nonexistent' is not a directory"), std::string::npos) << none.output;
}
