#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "model/encoder.h"
#include "tests/testing.h"

using hecto::testing::run_command;
using hecto::testing::TempDir;

namespace {

std::string hecto_bin() { return (hecto::testing::binary_dir() / "hecto").string(); }

// A tiny random DistilBERT over the real bert-base-uncased vocabulary, saved as Hugging Face would.
void write_tiny_model(const std::filesystem::path& dir) {
  hecto::model::EncoderConfig c;
  c.dim = 8;
  c.n_layers = 1;
  c.n_heads = 2;
  c.hidden_dim = 16;
  c.max_position_embeddings = 16;
  hecto::model::Encoder encoder(c);
  encoder->init_weights(7);
  hecto::model::save_pretrained(encoder, dir.string(), hecto::testing::vocab_path().string());
}

}  // namespace

TEST(EncodeCommand, JsonHasIdsAndClsVectorOfModelWidth) {
  HECTO_REQUIRE_SHARED_DATA();
  TempDir dir;
  write_tiny_model(dir / "model");
  auto r =
      run_command(hecto_bin() + " --threads 1 encode --model " + (dir / "model").string() + " --json \"hello world\"");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j.at("ids"), nlohmann::json::parse("[101, 7592, 2088, 102]"));  // [CLS] hello world [SEP]
  EXPECT_EQ(j.at("shape"), nlohmann::json::parse("[8]"));
  EXPECT_EQ(j.at("hidden_shape"), nlohmann::json::parse("[1, 4, 8]"));
  ASSERT_EQ(j.at("cls").size(), 8u);
  double sum_sq = 0;
  for (const auto& v : j.at("cls")) sum_sq += v.get<double>() * v.get<double>();
  EXPECT_NEAR(sum_sq / 8, 1.0, 0.05) << "the output LayerNorm (weight 1, bias 0) leaves unit variance";

  // --bf16 computes in bf16: not the same numbers, the same vector to bf16's precision.
  r = run_command(hecto_bin() + " --threads 1 encode --model " + (dir / "model").string() +
                  " --bf16 --json \"hello world\"");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto bf16_cls = nlohmann::json::parse(r.output).at("cls");
  ASSERT_EQ(bf16_cls.size(), 8u);
  double worst = 0;
  for (size_t i = 0; i < 8; ++i)
    worst = std::max(worst, std::abs(bf16_cls[i].get<double>() - j.at("cls")[i].get<double>()));
  EXPECT_GT(worst, 0.0) << "--bf16 changed nothing";
  EXPECT_LT(worst, 0.05);

  // --max-len truncates, the text mode prints the vector too, and a bad directory exits 2.
  r = run_command(hecto_bin() + " --threads 1 encode --model " + (dir / "model").string() +
                  " --max-len 3 --json \"hello world\"");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(r.output).at("ids").size(), 3u);
  r = run_command(hecto_bin() + " --threads 1 encode --model " + (dir / "model").string() + " \"hello world\"");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("shape:  [8]"), std::string::npos) << r.output;
  std::filesystem::remove(dir / "model" / "model.safetensors");
  r = run_command(hecto_bin() + " encode --model " + (dir / "model").string() + " hello");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("model.safetensors"), std::string::npos) << r.output;
}
