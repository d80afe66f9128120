// Sizes are checked against the weights and the machine before an encoder is built.
#include <gtest/gtest.h>

#include "common/error.h"
#include "model/encoder_fit.h"

using namespace hecto::model;

namespace {
SafetensorsHeader header_of(std::vector<std::pair<std::string, std::vector<int64_t>>> tensors) {
  SafetensorsHeader h;
  for (auto& [name, shape] : tensors) h.tensors.push_back({name, "F32", shape, 0, 0});
  return h;
}
std::string error_of(const EncoderConfig& c, const SafetensorsHeader& h) {
  try {
    check_config_matches_weights(c, h, "dir/config.json");
  } catch (const hecto::common::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(EncoderFit, EachSizeIsCheckedAgainstTheWeightsWhateverTheirPrefix) {
  EncoderConfig c;  // DistilBERT-base: 30522 x 768, 6 layers, ffn 3072, 512 positions
  const auto fits = header_of({{"distilbert.embeddings.word_embeddings.weight", {30522, 768}},
                               {"distilbert.embeddings.position_embeddings.weight", {512, 768}},
                               {"distilbert.transformer.layer.0.ffn.lin1.weight", {3072, 768}},
                               {"distilbert.transformer.layer.5.ffn.lin1.weight", {3072, 768}}});
  EXPECT_EQ(error_of(c, fits), "");
  auto wide = c;
  wide.dim = 65536;
  EXPECT_NE(error_of(wide, fits)
                .find("dir/config.json: dim = 65536 but the weights' embeddings.word_embeddings.weight is "
                      "[30522, 768]"),
            std::string::npos);
  auto deep = c;
  deep.n_layers = 48;
  EXPECT_NE(error_of(deep, fits).find("n_layers = 48 but the weights hold 6 layers"), std::string::npos);
  auto ffn = c;
  ffn.hidden_dim = 1 << 20;
  EXPECT_NE(error_of(ffn, fits).find("hidden_dim = 1048576"), std::string::npos);
  auto positions = c;
  positions.max_position_embeddings = 4096;
  EXPECT_NE(error_of(positions, fits).find("max_position_embeddings = 4096"), std::string::npos);
}

TEST(EncoderFit, MemoryIsCheckedWithoutOverflowForAnySize) {
  EncoderConfig base;
  EXPECT_NEAR(encoder_parameter_bytes(base), 4.0 * static_cast<double>(base.parameter_count()), 1.0);
  EXPECT_NO_THROW(check_fits_in_memory(base, "config.json", 24e9));
  EncoderConfig huge = base;
  huge.dim = 1 << 20;
  huge.hidden_dim = 1 << 30;
  huge.n_layers = 1000;
  try {
    check_fits_in_memory(huge, "config.json", 24e9);
    FAIL() << "a multi-petabyte encoder was accepted";
  } catch (const hecto::common::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("config.json: a distilbert dim 1048576"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("this machine has 24.0 GB"), std::string::npos) << e.what();
  }
}
