// BERT uncased WordPiece against the real bert-base-uncased vocab. Expected ids were worked out
// from vocab.txt line numbers and HF BertTokenizer's rules (see docs/tokenizer.md).
#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <random>

#include "common/error.h"
#include "tests/testing.h"

using hecto::text::Encoding;
using hecto::text::Tokenizer;
using Ids = std::vector<int32_t>;
using Tokens = std::vector<std::string>;

namespace {

const Tokenizer& bert() {
  static const Tokenizer t = Tokenizer::from_file(hecto::testing::vocab_path().string());
  return t;
}

class TokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override { HECTO_REQUIRE_SHARED_DATA(); }
};

}  // namespace

TEST_F(TokenizerTest, EncodesTheClassicExample) {
  const Encoding e = bert().encode("Hello, my dog is cute", 512);
  EXPECT_EQ(e.ids, (Ids{101, 7592, 1010, 2026, 3899, 2003, 10140, 102}));
  EXPECT_EQ(e.type_ids, std::vector<int8_t>(8, 0));
}

TEST_F(TokenizerTest, RecordsVocabProvenanceAndSpecialIds) {
  const auto& t = bert();
  EXPECT_EQ(t.vocab_size(), 30522u);
  EXPECT_EQ(t.vocab_sha256(), "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3");
  EXPECT_EQ(t.vocab_path(), hecto::testing::vocab_path().string());
  EXPECT_EQ(t.pad_id(), 0);
  EXPECT_EQ(t.unk_id(), 100);
  EXPECT_EQ(t.cls_id(), 101);
  EXPECT_EQ(t.sep_id(), 102);
  EXPECT_EQ(t.mask_id(), 103);
  EXPECT_EQ(t.token_to_id("##able"), 3085);
  EXPECT_EQ(t.id_to_token(3085), "##able");
  EXPECT_EQ(t.token_to_id("no-such-token-here"), 100);
  EXPECT_THROW(t.id_to_token(30522), hecto::common::InputError);
}

TEST_F(TokenizerTest, LowerCasesAndStripsAccents) {
  EXPECT_EQ(bert().tokenize("Héllo"), (Tokens{"hello"}));
  EXPECT_EQ(bert().tokenize("He\xCC\x81llo"), (Tokens{"hello"}));  // decomposed e + U+0301
  EXPECT_EQ(bert().tokenize("CAFÉ"), (Tokens{"cafe"}));
  EXPECT_EQ(bert().tokenize("\xC4\xB0stanbul"), (Tokens{"istanbul"}));  // U+0130: i + stripped dot
  // HF lower-cases character by character, so a word-final capital sigma becomes σ, not ς.
  EXPECT_EQ(bert().tokenize_ids("ΟΔΟΣ"), (Ids{1169, 29722, 29730, 29733}));
}

TEST_F(TokenizerTest, SplitsPunctuation) {
  EXPECT_EQ(bert().tokenize_ids("don't stop!!"), (Ids{2123, 1005, 1056, 2644, 999, 999}));
  EXPECT_EQ(bert().tokenize("$5.00"), (Tokens{"$", "5", ".", "00"}));
  EXPECT_EQ(bert().tokenize("a\xE2\x80\x94"
                            "b"),
            (Tokens{"a", "\xE2\x80\x94", "b"}));  // U+2014 is Pd
}

TEST_F(TokenizerTest, WordPieceIsGreedyLongestMatchFirst) {
  // bert-base-uncased has no "##aff": the greedy split of "unaffable" is una ##ffa ##ble.
  EXPECT_EQ(bert().tokenize("unaffable"), (Tokens{"una", "##ffa", "##ble"}));
  EXPECT_EQ(bert().tokenize_ids("unaffable"), (Ids{14477, 20961, 3468}));
}

TEST_F(TokenizerTest, OverlongWordIsUnknownButHundredCharsIsNot) {
  const auto hundred = bert().tokenize_ids(std::string(100, 'a'));
  ASSERT_EQ(hundred.size(), 50u);  // "aaa" + 48 x "##aa" + "##a"
  EXPECT_EQ(hundred.front(), 13360);
  EXPECT_EQ(hundred[1], 11057);
  EXPECT_EQ(hundred.back(), 2050);
  EXPECT_EQ(bert().tokenize_ids(std::string(101, 'a')), (Ids{100}));
  EXPECT_EQ(bert().tokenize_ids("x " + std::string(101, 'a') + " x"), (Ids{1060, 100, 1060}));
}

TEST_F(TokenizerTest, WordWithAnUnknownCharacterIsOneUnk) {
  EXPECT_EQ(bert().tokenize_ids("hello \xF0\x9F\x98\x80 world"), (Ids{7592, 100, 2088}));
  EXPECT_EQ(bert().tokenize_ids("cat\xF0\x9F\x98\x80"), (Ids{100}));
}

TEST_F(TokenizerTest, ChineseCharactersAreSeparateWords) {
  EXPECT_EQ(bert().tokenize("世世"), (Tokens{"世", "世"}));
  EXPECT_EQ(bert().tokenize("a世b"), (Tokens{"a", "世", "b"}));
}

TEST_F(TokenizerTest, CleansControlCharactersAndWhitespace) {
  EXPECT_EQ(bert().tokenize("hel\x01lo"), (Tokens{"hello"}));
  EXPECT_EQ(bert().tokenize("hel\xE2\x80\x8Blo"), (Tokens{"hello"}));  // U+200B is Cf
  EXPECT_EQ(bert().tokenize(std::string_view("hel\0lo", 6)), (Tokens{"hello"}));
  EXPECT_EQ(bert().tokenize("hel\xEF\xBF\xBDlo"), (Tokens{"hello"}));  // U+FFFD
  // Tab/newline, NBSP, ideographic space and the line separator U+2028 all split words.
  EXPECT_EQ(bert().tokenize_ids("a\tb\nc\xC2\xA0"
                                "d\xE3\x80\x80"
                                "e\xE2\x80\xA8"
                                "f"),
            (Ids{1037, 1038, 1039, 1040, 1041, 1042}));
  EXPECT_TRUE(bert().tokenize_ids(" \t\r\n ").empty());
}

TEST_F(TokenizerTest, LiteralSpecialTokensStayWhole) {
  EXPECT_EQ(bert().tokenize_ids("[MASK] is [mask] here[SEP]x"), (Ids{103, 2003, 1031, 7308, 1033, 2182, 102, 1060}));
}

TEST_F(TokenizerTest, SingleTextRespectsMaxLen) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "the cat sat on the mat ";
  const Encoding e = bert().encode(text, 16);
  ASSERT_EQ(e.ids.size(), 16u);
  EXPECT_EQ(e.ids.front(), 101);
  EXPECT_EQ(e.ids.back(), 102);
  EXPECT_EQ(e.ids[1], 1996);
  EXPECT_EQ(e.type_ids.size(), 16u);
  EXPECT_EQ(bert().encode(text, 0).ids.size(), 302u);  // no limit
  EXPECT_EQ(bert().encode(text, 2).ids, (Ids{101, 102}));
  EXPECT_THROW(bert().encode(text, 1), hecto::common::InputError);
}

TEST_F(TokenizerTest, PairTruncatesLongestFirst) {
  // a has 6 tokens, b 4; 3 must go: two from a (the longer), then b on the tie.
  const Encoding e = bert().encode_pair("the cat sat on the mat", "a b c d", 10);
  EXPECT_EQ(e.ids, (Ids{101, 1996, 4937, 2938, 2006, 102, 1037, 1038, 1039, 102}));
  EXPECT_EQ(e.type_ids, (std::vector<int8_t>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
  // Equal lengths, one too many: b loses it.
  EXPECT_EQ(bert().encode_pair("a b c", "d e f", 8).ids, (Ids{101, 1037, 1038, 1039, 102, 1040, 1041, 102}));
  // b longer (5 vs 2), 4 to go: b loses 3 to reach the tie, then one more on the tie.
  EXPECT_EQ(bert().encode_pair("a b", "c d e f a", 6).ids, (Ids{101, 1037, 1038, 102, 1039, 102}));
  // Fits: untouched.
  const Encoding whole = bert().encode_pair("a", "b", 512);
  EXPECT_EQ(whole.ids, (Ids{101, 1037, 102, 1038, 102}));
  EXPECT_EQ(whole.type_ids, (std::vector<int8_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(bert().encode_pair("a b", "c d", 3).ids, (Ids{101, 102, 102}));
  EXPECT_THROW(bert().encode_pair("a", "b", 2), hecto::common::InputError);
}

TEST_F(TokenizerTest, InvalidUtf8IsDroppedNotFatal) {
  const auto& t = bert();
  EXPECT_EQ(t.tokenize("hello\xFFworld"), t.tokenize("helloworld"));
  EXPECT_EQ(t.tokenize("caf\xC3"), (Tokens{"caf"}));         // truncated at the end
  EXPECT_EQ(t.tokenize("a\xE2\x82 b"), (Tokens{"a", "b"}));  // truncated 3-byte sequence
  EXPECT_EQ(t.tokenize("a\xED\xA0\x80"
                       "b"),
            (Tokens{"ab"}));  // UTF-16 surrogate
  EXPECT_EQ(t.tokenize("\xC0\xAF"
                       "x"),
            (Tokens{"x"}));  // overlong '/'
  EXPECT_EQ(t.tokenize("\xF4\x90\x80\x80"
                       "x"),
            (Tokens{"x"}));  // above U+10FFFF
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 40);
  for (int n = 0; n < 3000; ++n) {
    std::string s(len(rng), '\0');
    for (auto& c : s) c = static_cast<char>(byte(rng));
    for (int32_t id : t.encode(s, 64).ids) ASSERT_LT(static_cast<size_t>(id), t.vocab_size());
  }
}

TEST_F(TokenizerTest, CopiesKeepWorking) {
  Tokenizer copy = bert();
  Tokenizer moved = std::move(copy);
  EXPECT_EQ(moved.tokenize_ids("Hello, my dog is cute"), (Ids{7592, 1010, 2026, 3899, 2003, 10140}));
}

TEST(TokenizerVocab, BadVocabFilesAreInputErrorsNamingTheFile) {
  hecto::testing::TempDir dir;
  auto expect_error = [](const std::string& path, const std::string& needle) {
    try {
      Tokenizer::from_file(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const hecto::common::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error((dir / "missing.txt").string(), "cannot open");
  expect_error(hecto::testing::write_file(dir / "empty.txt", "").string(), "empty");
  expect_error(hecto::testing::write_file(dir / "nomask.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n").string(),
               "[MASK]");
}

TEST(TokenizerVocab, TinyVocabWithCrLfLines) {
  hecto::testing::TempDir dir;
  const auto path = hecto::testing::write_file(
      dir / "v.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nplay\r\n##ing\r\n##s\r\n");
  const Tokenizer t = Tokenizer::from_file(path.string());
  EXPECT_EQ(t.vocab_size(), 8u);
  EXPECT_EQ(t.encode("Playing plays jumps", 0).ids, (Ids{2, 5, 6, 5, 7, 1, 3}));
}
