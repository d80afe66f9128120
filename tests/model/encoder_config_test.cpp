#include <gtest/gtest.h>

#include "common/error.h"
#include "model/encoder_config.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::model::EncoderConfig;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

// distilbert-base-uncased's config.json as published.
const char* kDistilBertBase = R"({
  "activation": "gelu", "architectures": ["DistilBertForMaskedLM"], "attention_dropout": 0.1,
  "dim": 768, "dropout": 0.1, "hidden_dim": 3072, "initializer_range": 0.02,
  "max_position_embeddings": 512, "model_type": "distilbert", "n_heads": 12, "n_layers": 6,
  "pad_token_id": 0, "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": false,
  "tie_weights_": true, "transformers_version": "4.10.0.dev0", "vocab_size": 30522})";

// bert-base-uncased's config.json as published.
const char* kBertBase = R"({
  "architectures": ["BertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false,
  "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02,
  "intermediate_size": 3072, "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert",
  "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 0, "position_embedding_type": "absolute",
  "transformers_version": "4.6.0.dev0", "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522})";

std::string error_of(const nlohmann::json& j) {
  try {
    EncoderConfig::from_json(j, "cfg.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(EncoderConfig, ReadsDistilBertBaseConfigFile) {
  TempDir dir;
  auto path = write_file(dir / "config.json", kDistilBertBase);
  auto c = EncoderConfig::from_hf_json(path.string());
  EXPECT_EQ(c.model_type, "distilbert");
  EXPECT_EQ(c.dim, 768);
  EXPECT_EQ(c.n_layers, 6);
  EXPECT_EQ(c.n_heads, 12);
  EXPECT_EQ(c.hidden_dim, 3072);
  EXPECT_EQ(c.vocab_size, 30522);
  EXPECT_EQ(c.type_vocab_size, 0);
  EXPECT_DOUBLE_EQ(c.layer_norm_eps, 1e-12);
  // The published parameter count of distilbert-base-uncased's encoder (DistilBertModel): 66,362,880.
  EXPECT_EQ(c.parameter_count(), 66362880);
  EXPECT_EQ(c.describe(), "distilbert dim 768 x 6 layers, 12 heads, ffn 3072");
}

TEST(EncoderConfig, ReadsBertBaseConfig) {
  auto c = EncoderConfig::from_json(nlohmann::json::parse(kBertBase), "bert.json");
  EXPECT_EQ(c.model_type, "bert");
  EXPECT_EQ(c.dim, 768);
  EXPECT_EQ(c.n_layers, 12);
  EXPECT_EQ(c.type_vocab_size, 2);
  EXPECT_EQ(c.activation, "gelu");
  // bert-base-uncased without its pooler: 109,482,240 - 590,592.
  EXPECT_EQ(c.parameter_count(), 109482240 - 590592);
}

TEST(EncoderConfig, MissingModelTypeOrWrongTypedKeyNamesFileAndKey) {
  auto j = nlohmann::json::parse(kDistilBertBase);
  j.erase("model_type");
  auto msg = error_of(j);
  EXPECT_NE(msg.find("cfg.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing key \"model_type\""), std::string::npos) << msg;

  j = nlohmann::json::parse(kDistilBertBase);
  j["dim"] = "768";
  msg = error_of(j);
  EXPECT_NE(msg.find("\"dim\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("positive integer"), std::string::npos) << msg;

  j = nlohmann::json::parse(kBertBase);
  j["layer_norm_eps"] = -1;
  msg = error_of(j);
  EXPECT_NE(msg.find("layer_norm_eps"), std::string::npos) << msg;
}

// Keys left out take transformers' defaults (DistilBertConfig(), BertConfig()), as
// from_pretrained does, so a config.json holding only model_type is the base model.
TEST(EncoderConfig, MissingKeysTakeHuggingFaceDefaults) {
  TempDir dir;
  const auto distil =
      EncoderConfig::from_hf_json(write_file(dir / "config.json", R"({"model_type": "distilbert"})").string());
  const auto base = EncoderConfig::from_json(nlohmann::json::parse(kDistilBertBase), "base");
  EXPECT_EQ(distil.dim, 768);
  EXPECT_EQ(distil.n_layers, 6);
  EXPECT_EQ(distil.n_heads, 12);
  EXPECT_EQ(distil.hidden_dim, 3072);
  EXPECT_EQ(distil.vocab_size, 30522);
  EXPECT_EQ(distil.max_position_embeddings, 512);
  EXPECT_EQ(distil.activation, "gelu");
  EXPECT_DOUBLE_EQ(distil.dropout, 0.1);
  EXPECT_DOUBLE_EQ(distil.attention_dropout, 0.1);
  EXPECT_DOUBLE_EQ(distil.layer_norm_eps, 1e-12);
  EXPECT_EQ(distil.pad_token_id, 0);
  EXPECT_EQ(distil.parameter_count(), base.parameter_count());

  const auto bert = EncoderConfig::from_json(nlohmann::json{{"model_type", "bert"}}, "bert.json");
  EXPECT_EQ(bert.dim, 768);
  EXPECT_EQ(bert.n_layers, 12);
  EXPECT_EQ(bert.n_heads, 12);
  EXPECT_EQ(bert.hidden_dim, 3072);
  EXPECT_EQ(bert.type_vocab_size, 2);
  EXPECT_EQ(bert.activation, "gelu");
  EXPECT_DOUBLE_EQ(bert.dropout, 0.1);
  EXPECT_DOUBLE_EQ(bert.attention_dropout, 0.1);
  EXPECT_DOUBLE_EQ(bert.layer_norm_eps, 1e-12);
  EXPECT_EQ(bert.parameter_count(), EncoderConfig::from_json(nlohmann::json::parse(kBertBase)).parameter_count());

  // A small encoder that names only its sizes: activation and dropouts default, sizes are its own.
  auto small = nlohmann::json::parse(R"({"model_type": "distilbert", "dim": 256, "n_layers": 4, "n_heads": 4,
                                          "hidden_dim": 1024})");
  const auto c = EncoderConfig::from_json(small, "small.json");
  EXPECT_EQ(c.dim, 256);
  EXPECT_EQ(c.n_layers, 4);
  EXPECT_EQ(c.hidden_dim, 1024);
  EXPECT_EQ(c.activation, "gelu");
  EXPECT_DOUBLE_EQ(c.dropout, 0.1);
  // A key that is present still wins over the default.
  small["activation"] = "relu";
  small["dropout"] = 0.0;
  EXPECT_EQ(EncoderConfig::from_json(small, "small.json").activation, "relu");
  EXPECT_DOUBLE_EQ(EncoderConfig::from_json(small, "small.json").dropout, 0.0);
}

TEST(EncoderConfig, RejectsWhatTheEncoderCannotRun) {
  auto j = nlohmann::json::parse(kDistilBertBase);
  j["sinusoidal_pos_embds"] = true;
  EXPECT_NE(error_of(j).find("sinusoidal"), std::string::npos);

  j = nlohmann::json::parse(kDistilBertBase);
  j["n_heads"] = 7;
  EXPECT_NE(error_of(j).find("not divisible"), std::string::npos);

  j = nlohmann::json::parse(kDistilBertBase);
  j["model_type"] = "roberta";
  EXPECT_NE(error_of(j).find("\"roberta\""), std::string::npos);

  j = nlohmann::json::parse(kDistilBertBase);
  j["activation"] = "swish";
  EXPECT_NE(error_of(j).find("activation"), std::string::npos);

  EXPECT_NE(error_of(nlohmann::json::array()).find("not a JSON object"), std::string::npos);
}

TEST(EncoderConfig, BadJsonFileIsAnInputError) {
  TempDir dir;
  auto path = write_file(dir / "config.json", "{\"dim\": 7,");
  EXPECT_THROW(EncoderConfig::from_hf_json(path.string()), InputError);
  EXPECT_THROW(EncoderConfig::from_hf_json((dir / "absent.json").string()), InputError);
}

TEST(EncoderConfig, HfJsonRoundTripsInEachLayout) {
  for (const char* text : {kDistilBertBase, kBertBase}) {
    auto a = EncoderConfig::from_json(nlohmann::json::parse(text), "a");
    auto j = a.to_hf_json();
    EXPECT_EQ(j.at("model_type"), a.model_type);
    auto b = EncoderConfig::from_json(j, "b");
    EXPECT_EQ(b.model_type, a.model_type);
    EXPECT_EQ(b.dim, a.dim);
    EXPECT_EQ(b.n_layers, a.n_layers);
    EXPECT_EQ(b.n_heads, a.n_heads);
    EXPECT_EQ(b.hidden_dim, a.hidden_dim);
    EXPECT_EQ(b.type_vocab_size, a.type_vocab_size);
    EXPECT_EQ(b.activation, a.activation);
    EXPECT_DOUBLE_EQ(b.dropout, a.dropout);
    EXPECT_DOUBLE_EQ(b.layer_norm_eps, a.layer_norm_eps);
  }
  auto j = EncoderConfig::distilbert_base().to_hf_json();
  EXPECT_EQ(j.at("architectures"), nlohmann::json::array({"DistilBertForMaskedLM"}));
  EXPECT_EQ(j.at("sinusoidal_pos_embds"), false);
  EXPECT_EQ(j.at("pad_token_id"), 0);
  EXPECT_FALSE(j.contains("hidden_size"));
}
