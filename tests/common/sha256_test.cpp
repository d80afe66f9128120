#include <gtest/gtest.h>

#include "common/error.h"
#include "common/sha256.h"
#include "tests/testing.h"

using namespace hecto::common;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.update("a").update("bc");
  EXPECT_EQ(h.hex(), sha256_hex("abc"));
}

TEST(Sha256, FileMatchesBytesAndMissingFileIsInputError) {
  hecto::testing::TempDir dir;
  auto p = hecto::testing::write_file(dir / "x.txt", "abc");
  EXPECT_EQ(sha256_file(p.string()), sha256_hex("abc"));
  EXPECT_THROW(sha256_file((dir / "missing").string()), InputError);
}

TEST(Sha256, RealVocabMatchesProvenance) {
  HECTO_REQUIRE_SHARED_DATA();
  EXPECT_EQ(sha256_file(hecto::testing::vocab_path().string()),
            "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3");
}
