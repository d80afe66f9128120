// HotpotQA numbers the JSON library cannot hold, or that do not fit a sentence index: an
// InputError naming the file, never a library exception or a silently wrapped index.
#include <gtest/gtest.h>

#include "common/error.h"
#include "tasks/hotpotqa_loader.h"
#include "tests/testing.h"

using hecto::common::InputError;

namespace {

const std::string kRecord =
    R"({"id":"q1","question":"Q?","answer":"yes","type":"bridge","level":"hard",)"
    R"("supporting_facts":{"title":["A"],"sent_id":[SENT]},"context":{"title":["A"],"sentences":[["S0."]]}})";

std::string load_error(const std::string& name, const std::string& text) {
  hecto::testing::TempDir dir;
  const auto path = hecto::testing::write_file(dir / name, text);
  try {
    hecto::tasks::load_hotpotqa_file(path.string());
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, path.string());
    return e.what();
  }
  return "";
}

std::string with_sent(const std::string& sent) {
  std::string r = kRecord;
  return r.replace(r.find("SENT"), 4, sent);
}

}  // namespace

TEST(HotpotJsonNumbers, NumberBeyondDoubleRangeIsAnInputError) {
  EXPECT_NE(load_error("h.jsonl", with_sent("1e999") + "\n").find("invalid JSON"), std::string::npos);
  EXPECT_NE(load_error("h.json", "[" + with_sent("1e999") + "]").find("invalid JSON"), std::string::npos);
}

TEST(HotpotJsonNumbers, SentenceIndexBeyondIntIsRefused) {
  EXPECT_NE(load_error("h.jsonl", with_sent("4294967296") + "\n").find("sentence id"), std::string::npos);
}
