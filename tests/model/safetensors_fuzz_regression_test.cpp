// Inputs the fuzzer (tests/fuzz) found that once escaped as something other than InputError.
#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "model/encoder_config.h"
#include "model/safetensors_header.h"
#include "tests/testing.h"

namespace {

std::string with_length(const std::string& header) {
  std::string bytes(8, '\0');
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return bytes + header;
}

}  // namespace

// Valid JSON syntax whose number does not fit a double: nlohmann throws out_of_range, not parse_error.
TEST(SafetensorsFuzzRegression, NumberTooLargeForADoubleIsAnInputError) {
  const std::string bytes = with_length(R"({"w":{"dtype":"F32","shape":[1E400],"data_offsets":[0,4]}})");
  try {
    hecto::model::parse_safetensors_header(bytes, bytes.size() + 4, "big.safetensors");
    FAIL() << "accepted";
  } catch (const hecto::common::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("big.safetensors"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos) << e.what();
  }
}

TEST(SafetensorsFuzzRegression, EncoderConfigWithAHugeNumberIsAnInputError) {
  hecto::testing::TempDir dir;
  const auto path = hecto::testing::write_file(dir / "config.json", R"({"dim": 1e999})");
  EXPECT_THROW(hecto::model::EncoderConfig::from_hf_json(path.string()), hecto::common::InputError);
}
