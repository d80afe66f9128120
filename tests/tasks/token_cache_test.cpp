// The tokenised-split cache: hit after a miss, a new key for any changed input, and damaged
// files rebuilt rather than trusted.
#include "tasks/token_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/testing.h"

using hecto::text::Tokenizer;
using namespace hecto::tasks;
namespace fs = std::filesystem;

namespace {

const Tokenizer& bert() {
  static const Tokenizer t = Tokenizer::from_file(hecto::testing::vocab_path().string());
  return t;
}

Split small_split(bool pair) {
  Split s;
  s.name = "train";
  s.input_builder = "test.builder/v1";
  s.selection = "task=test";
  s.source_sha256 = {"aaaa"};
  const char* texts[] = {"Hello, my dog is cute", "Fears for T N pension after talks", "a b c d e f g h i j k l"};
  for (int i = 0; i < 3; ++i) {
    Example e;
    e.text_a = texts[i];
    if (pair) e.text_b = "and a second segment";
    e.label = i % 2;
    e.score = 1.5f * i;
    s.examples.push_back(e);
  }
  return s;
}

std::vector<fs::path> cache_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path());
  return out;
}

class TokenCache : public ::testing::Test {
 protected:
  void SetUp() override { HECTO_REQUIRE_SHARED_DATA(); }
  hecto::testing::TempDir dir;
};

}  // namespace

TEST_F(TokenCache, SecondCallIsAHitWithIdenticalEncodings) {
  const Split split = small_split(true);
  const auto first = tokenize_split(split, bert(), 16, true, dir.path().string());
  EXPECT_FALSE(first.cache_hit);
  ASSERT_EQ(cache_files(dir.path()).size(), 1u);  // the temp file was renamed away
  const auto second = tokenize_split(split, bert(), 16, true, dir.path().string());
  EXPECT_TRUE(second.cache_hit);
  ASSERT_EQ(second.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(second.encodings[i].ids, first.encodings[i].ids);
    EXPECT_EQ(second.encodings[i].type_ids, first.encodings[i].type_ids);
  }
  EXPECT_EQ(second.encodings[0].ids.front(), 101);
  EXPECT_EQ(second.encodings[0].type_ids.back(), 1);
  EXPECT_EQ(second.labels, (std::vector<int>{0, 1, 0}));
  EXPECT_FLOAT_EQ(second.scores[2], 3.0f);
  EXPECT_LE(second.encodings[2].ids.size(), 16u);
}

TEST_F(TokenCache, ChangedFileVocabLengthOrSelectionIsADifferentKey) {
  const Split split = small_split(false);
  const std::string base = token_cache_key(split, bert(), 32, false);
  Split changed_file = split;
  changed_file.source_sha256 = {"bbbb"};
  EXPECT_NE(token_cache_key(changed_file, bert(), 32, false), base);
  EXPECT_NE(token_cache_key(split, bert(), 64, false), base);
  EXPECT_NE(token_cache_key(split, bert(), 32, true), base);
  Split resampled = split;
  resampled.selection = "task=test;train_size=2;sample_seed=1";
  EXPECT_NE(token_cache_key(resampled, bert(), 32, false), base);
  Split edited = split;
  edited.examples[1].text_a += "!";
  EXPECT_NE(token_cache_key(edited, bert(), 32, false), base);

  // A vocab with one more line has another sha256, hence another key.
  const fs::path vocab2 = dir / "vocab.txt";
  fs::copy_file(hecto::testing::vocab_path(), vocab2);
  std::ofstream(vocab2, std::ios::app) << "hectoextratoken\n";
  const Tokenizer other = Tokenizer::from_file(vocab2.string());
  EXPECT_NE(token_cache_key(split, other, 32, false), base);

  const auto a = tokenize_split(split, bert(), 32, false, dir.path().string());
  const auto b = tokenize_split(split, bert(), 8, false, dir.path().string());
  EXPECT_FALSE(b.cache_hit);
  EXPECT_LE(b.encodings[2].ids.size(), 8u);
  EXPECT_GT(a.encodings[2].ids.size(), 8u);
}

TEST_F(TokenCache, TruncatedOrCorruptFileIsRebuilt) {
  const Split split = small_split(true);
  const auto fresh = tokenize_split(split, bert(), 32, true, dir.path().string());
  const fs::path file = dir / (fresh.key + ".tok");
  ASSERT_TRUE(fs::exists(file));
  const auto size = fs::file_size(file);

  fs::resize_file(file, size / 2);
  auto again = tokenize_split(split, bert(), 32, true, dir.path().string());
  EXPECT_FALSE(again.cache_hit);
  EXPECT_EQ(again.encodings[0].ids, fresh.encodings[0].ids);
  EXPECT_EQ(fs::file_size(file), size);  // rewritten whole

  {  // flip one id byte in the middle: the checksum catches it
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 80));
    f.put('\x7f');
  }
  again = tokenize_split(split, bert(), 32, true, dir.path().string());
  EXPECT_FALSE(again.cache_hit);
  EXPECT_EQ(again.encodings[1].ids, fresh.encodings[1].ids);
  EXPECT_TRUE(tokenize_split(split, bert(), 32, true, dir.path().string()).cache_hit);

  std::ofstream(file, std::ios::trunc) << "garbage";
  EXPECT_FALSE(tokenize_split(split, bert(), 32, true, dir.path().string()).cache_hit);
}

TEST_F(TokenCache, EmptyCacheDirMeansNoCache) {
  const auto a = tokenize_split(small_split(false), bert(), 32, false, "");
  const auto b = tokenize_split(small_split(false), bert(), 32, false, "");
  EXPECT_FALSE(a.cache_hit);
  EXPECT_FALSE(b.cache_hit);
  EXPECT_EQ(a.encodings[1].ids, b.encodings[1].ids);
}
