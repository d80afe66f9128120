#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/error.h"
#include "experiment/config.h"

using hecto::common::InputError;
using hecto::experiment::Config;
using hecto::experiment::config_keys;
using hecto::experiment::resolve_axis_key;
using hecto::experiment::set_config_value;
using nlohmann::json;

namespace {

std::string error_of(Config& c, const std::string& key, const json& value) {
  try {
    set_config_value(c, key, value, "here");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, JsonHasEveryKeyNestedBySection) {
  const json j = Config{}.to_json();
  for (const auto& [key, type] : config_keys()) {
    std::string p = "/" + key;
    std::replace(p.begin(), p.end(), '.', '/');
    EXPECT_TRUE(j.contains(json::json_pointer(p))) << key;
  }
  EXPECT_EQ(j["train"]["lr"].get<double>(), 2e-5);
  EXPECT_EQ(j["model"]["experts"], json({"ffnn", "gru"}));
  EXPECT_EQ(j["data"]["task"], "agnews");
  // Sorted keys: the canonical form cell ids hash does not depend on declaration order.
  const std::string dumped = j.dump();
  EXPECT_LT(dumped.find("\"data\""), dumped.find("\"encoder\""));
  EXPECT_LT(dumped.find("\"encoder\""), dumped.find("\"model\""));
}

TEST(Config, JsonRoundTrips) {
  Config c;
  c.experiment = "x";
  c.seed = 7;
  c.data.task = "sst2";
  c.model.experts = {hecto::model::ExpertKind::GRU, hecto::model::ExpertKind::GRU, hecto::model::ExpertKind::FFNN};
  c.train.lr = 3e-5;
  c.encoder.init_seed = 12345678901234ull;
  const Config back = Config::from_json(c.to_json());
  EXPECT_EQ(back.to_json(), c.to_json());
  EXPECT_EQ(back.model.experts.size(), 3u);
  EXPECT_EQ(back.encoder.init_seed, 12345678901234ull);
}

TEST(Config, KeysHaveTypes) {
  std::map<std::string, std::string> keys;
  for (const auto& [k, t] : config_keys()) keys[k] = t;
  EXPECT_EQ(keys.at("train.epochs"), "int");
  EXPECT_EQ(keys.at("train.lr"), "float");
  EXPECT_EQ(keys.at("encoder.mode"), "string");
  EXPECT_EQ(keys.at("model.sparse_dispatch"), "bool");
  EXPECT_EQ(keys.at("model.experts"), "string list");
  EXPECT_EQ(keys.at("model.pooling"), "string");
  EXPECT_EQ(keys.at("seed"), "int");
}

TEST(Config, SetsValuesOfEveryType) {
  Config c;
  set_config_value(c, "train.epochs", 3);
  set_config_value(c, "train.lr", 1);  // an integer is a fine float
  set_config_value(c, "model.experts", json::array({"gru", "gru"}));
  set_config_value(c, "model.sparse_dispatch", false);
  set_config_value(c, "encoder.mode", "frozen");
  set_config_value(c, "model.pooling", "mean");
  set_config_value(c, "seed", 42);
  EXPECT_EQ(c.train.epochs, 3);
  EXPECT_EQ(c.train.lr, 1.0);
  EXPECT_EQ(c.model.experts,
            (std::vector<hecto::model::ExpertKind>{hecto::model::ExpertKind::GRU, hecto::model::ExpertKind::GRU}));
  EXPECT_FALSE(c.model.sparse_dispatch);
  EXPECT_EQ(c.encoder.mode, hecto::experiment::EncoderMode::Frozen);
  EXPECT_EQ(c.model.pooling, hecto::model::Pooling::Mean);
  EXPECT_EQ(c.seed, 42u);
}

TEST(Config, UnknownKeySuggestsTheClosest) {
  Config c;
  EXPECT_NE(error_of(c, "train.epoch", 3).find("did you mean 'train.epochs'"), std::string::npos);
  EXPECT_NE(error_of(c, "epochs", 3).find("did you mean 'train.epochs'"), std::string::npos);
  EXPECT_NE(error_of(c, "model.lamda_ent", 0.1).find("did you mean 'model.lambda_ent'"), std::string::npos);
  EXPECT_NE(error_of(c, "train.epoch", 3).find("here: unknown config key 'train.epoch'"), std::string::npos);
}

TEST(Config, WrongTypesAreRejected) {
  Config c;
  EXPECT_NE(error_of(c, "train.epochs", "five").find("expected an integer"), std::string::npos);
  EXPECT_NE(error_of(c, "train.epochs", 2.5).find("expected an integer"), std::string::npos);
  EXPECT_NE(error_of(c, "train.lr", "fast").find("expected a number"), std::string::npos);
  EXPECT_NE(error_of(c, "model.experts", "ffnn").find("list of strings"), std::string::npos);
  EXPECT_NE(error_of(c, "model.sparse_dispatch", 1).find("true or false"), std::string::npos);
  EXPECT_NE(error_of(c, "seed", -1).find("wrong type"), std::string::npos);
  EXPECT_NE(error_of(c, "train.epochs", 1ll << 40).find("wrong type"), std::string::npos);
  EXPECT_EQ(c.train.epochs, 5);  // a rejected value changes nothing
}

TEST(Config, OutOfRangeValuesAreRejected) {
  Config c;
  EXPECT_NE(error_of(c, "train.batch_size", 0).find("positive"), std::string::npos);
  EXPECT_NE(error_of(c, "train.epochs", -2).find("positive"), std::string::npos);
  EXPECT_NE(error_of(c, "data.max_len", 0).find("positive"), std::string::npos);
  EXPECT_NE(error_of(c, "train.lr", 0.0).find("positive"), std::string::npos);
  EXPECT_NE(error_of(c, "train.lr", -1e-5).find("positive"), std::string::npos);
  EXPECT_NE(error_of(c, "encoder.mode", "half").find("\"frozen\" or \"finetuned\""), std::string::npos);
  EXPECT_NE(error_of(c, "train.padding", "none").find("\"dynamic\" or \"max\""), std::string::npos);
  EXPECT_NE(error_of(c, "model.experts", json::array({"ffnn", "lstm"})).find("lstm"), std::string::npos);
  EXPECT_NE(error_of(c, "model.experts", json::array()).find("at least one expert"), std::string::npos);
  EXPECT_NE(error_of(c, "train.warmup_ratio", 1.0).find("[0, 1)"), std::string::npos);
  EXPECT_EQ(error_of(c, "model.lambda_ent", 0.0), "");
  EXPECT_EQ(error_of(c, "train.head_lr", 0), "");
}

TEST(Config, UnknownTaskIsRejected) {
  Config c;
  const std::string e = error_of(c, "data.task", "imdb");
  EXPECT_NE(e.find("invalid value \"imdb\" for data.task"), std::string::npos) << e;
  EXPECT_NE(e.find("agnews"), std::string::npos) << e;
  EXPECT_EQ(error_of(c, "data.task", "sst2"), "");
}

TEST(Config, AxisShortNames) {
  EXPECT_EQ(resolve_axis_key("task"), "data.task");
  EXPECT_EQ(resolve_axis_key("batch_size"), "train.batch_size");
  EXPECT_EQ(resolve_axis_key("encoder"), "encoder.mode");
  EXPECT_EQ(resolve_axis_key("seed"), "seed");
  EXPECT_EQ(resolve_axis_key("variant"), "variant");
  EXPECT_EQ(resolve_axis_key("train.lr"), "train.lr");
}
