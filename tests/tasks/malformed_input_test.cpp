// Every loader refuses malformed rows with an InputError naming the file, the line and the problem.
#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"
#include "tasks/agnews_loader.h"
#include "tasks/glue_loaders.h"
#include "tasks/hotpotqa_loader.h"
#include "tests/testing.h"

using hecto::common::InputError;
using namespace hecto::tasks;

namespace {

// Writes `text` to a file, runs the loader and checks the error names file, line and problem.
void expect_error(const std::string& name, const std::string& text, const std::function<void(const std::string&)>& load,
                  long line, const std::string& problem) {
  hecto::testing::TempDir dir;
  const std::string path = hecto::testing::write_file(dir / name, text).string();
  try {
    load(path);
    ADD_FAILURE() << name << ": no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path) << e.what();
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind(path + ":" + std::to_string(line), 0), 0u) << e.what();
  }
}

const auto agnews = [](const std::string& p) { load_agnews_file(p); };
const auto sst2 = [](const std::string& p) { load_sst2_file(p); };
const auto stsb = [](const std::string& p) { load_stsb_file(p); };
const auto hotpot = [](const std::string& p) { load_hotpotqa_file(p); };

const std::string kGoodHotpot =
    R"({"id":"q1","question":"Q?","answer":"yes","type":"bridge","level":"hard",)"
    R"("supporting_facts":{"title":["A"],"sent_id":[0]},"context":{"title":["A"],"sentences":[["S0."]]}})";

}  // namespace

TEST(MalformedInput, AgNewsBadQuoting) {
  expect_error("ag.csv", "\"1\",\"t\",\"d\"\n\"2\",\"t\"oops,\"d\"\n", agnews, 2, "after a closing quote");
}

TEST(MalformedInput, AgNewsWrongFieldCount) {
  expect_error("ag.csv", "\"1\",\"t\",\"d\"\n\"2\",\"multi\nline\",\"d\"\n\"3\",\"t\"\n", agnews, 4,
               "row has 2 fields");
}

TEST(MalformedInput, AgNewsUnknownClass) {
  expect_error("ag.csv", "\"1\",\"t\",\"d\"\n\"5\",\"t\",\"d\"\n", agnews, 2, "invalid class '5'");
  expect_error("ag.tsv", "text one\tWorld\ntext two\tPolitics\n", agnews, 2, "unknown class 'Politics'");
  expect_error("hf.csv", "\"text\",0\n\"text\",4\n", agnews, 2, "invalid class '4'");
}

TEST(MalformedInput, Sst2InvalidLabelAndMissingHeader) {
  expect_error("sst.tsv", "sentence\tlabel\ngood \t1\nbad \t2\n", sst2, 3, "invalid label '2'");
  expect_error("sst.tsv", "sentence\tlabel\ngood \t1\nno tab here\n", sst2, 3, "1 tab-separated fields");
  expect_error("sst.tsv", "good \t1\n", sst2, 1, "missing header");
}

TEST(MalformedInput, StsbScoreOutOfRangeAndWrongFieldCount) {
  const std::string ok = "main-news\tMSRpar\t2012\t0001\t4.000\tA cat.\tA dog.\n";
  expect_error("sts.csv", ok + "main-news\tMSRpar\t2012\t0002\t5.5\tA cat.\tA dog.\n", stsb, 2, "out of range");
  expect_error("sts.csv", ok + "main-news\tMSRpar\t2012\t0002\tfive\tA cat.\tA dog.\n", stsb, 2, "is not a number");
  expect_error("sts.csv", ok + "main-news\tMSRpar\t2012\t0002\t1.0\tA cat.\n", stsb, 2,
               "row has 6 tab-separated fields");
}

TEST(MalformedInput, HotpotTruncatedJsonLine) {
  expect_error("h.jsonl", kGoodHotpot + "\n" + kGoodHotpot.substr(0, 60) + "\n", hotpot, 2, "invalid JSON");
}

TEST(MalformedInput, HotpotTruncatedJsonArray) {
  // The official layout cut short: the error points at the line where the text ends.
  expect_error("h.json", "[{\"_id\": \"a\",\n \"question\": \"Q?\",\n \"answer\": \"y", hotpot, 3, "invalid JSON");
}

TEST(MalformedInput, HotpotMissingFieldAndUnknownType) {
  auto with = [](std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
  };
  const std::string second = with(kGoodHotpot, "\"q1\"", "\"q2\"");
  expect_error("h.jsonl", kGoodHotpot + "\n" + with(second, "\"question\"", "\"quest\""), hotpot, 2,
               "missing field 'question'");
  expect_error("h.jsonl", kGoodHotpot + "\n\n" + with(second, "bridge", "chain!"), hotpot, 3, "unknown type 'chain!'");
  expect_error("h.jsonl", kGoodHotpot + "\n" + with(second, "[0]}", "[\"x\"]}"), hotpot, 2, "sentence id");
  expect_error("h.jsonl", kGoodHotpot + "\n" + kGoodHotpot + "\n", hotpot, 2, "appears twice");
}

TEST(MalformedInput, MissingFileIsAnInputError) {
  EXPECT_THROW(load_sst2_file("/nonexistent/sst2/dev.tsv"), InputError);
}
