// train.embedding_lr_scale on a whole fine-tuned cell: at 0 the word-embedding matrix leaves the
// cell exactly as it was loaded while the layers train; at 1 it trains with them. The trained
// encoder is read back from the cell's artifact.
#include <gtest/gtest.h>

#include <string>

#include "runtime/device.h"
#include "tasks/task.h"
#include "tests/testing.h"
#include "train/artifact.h"
#include "train/encoder_factory.h"
#include "train/trainer.h"

namespace {

using hecto::experiment::Config;

constexpr const char* kWords = "embeddings.word_embeddings.weight";
constexpr const char* kFirstQuery = "transformer.layer.0.attention.q_lin.weight";

Config tiny_finetuned_cell(double embedding_lr_scale) {
  Config c;
  c.data.task = "sst2";
  c.data.train_size = 128;
  c.data.eval_size = 32;
  c.data.max_len = 32;
  c.encoder.source = hecto::experiment::EncoderSource::Random;
  c.encoder.mode = hecto::experiment::EncoderMode::Finetuned;
  c.encoder.dim = 32;
  c.encoder.n_layers = 1;
  c.encoder.n_heads = 2;
  c.encoder.hidden_dim = 64;
  c.train.epochs = 1;
  c.train.lr = 1e-3;
  c.train.embedding_lr_scale = embedding_lr_scale;
  c.train.eval_schedule = hecto::experiment::EvalSchedule::Final;
  c.train.save_artifact = true;
  return c;
}

hecto::model::Encoder encoder_as_loaded(const Config& c) {
  const std::string data_dir = hecto::testing::shared_data_dir().string();
  return hecto::train::make_encoder(c.encoder, hecto::tasks::default_vocab_path(data_dir)).encoder;
}

hecto::model::Encoder encoder_after_training(const Config& c, const hecto::testing::TempDir& dir) {
  hecto::train::TrainEnvironment env;
  env.data_dir = hecto::testing::shared_data_dir().string();
  env.device = hecto::runtime::resolve_device("cpu");
  env.artifact_dir = dir.path().string();
  env.cell_id = "cell";
  hecto::train::train_and_evaluate(c, env);
  return hecto::train::load_artifact((dir / "cell").string()).encoder;
}

bool same(const hecto::model::Encoder& a, const hecto::model::Encoder& b, const std::string& name) {
  return torch::equal(a->named_parameters()[name], b->named_parameters()[name]);
}

}  // namespace

TEST(EmbeddingLr, AtZeroTheWordEmbeddingsStayAsLoadedWhileTheLayersTrain) {
  HECTO_REQUIRE_SHARED_DATA();
  hecto::testing::TempDir dir;
  const Config c = tiny_finetuned_cell(0.0);
  const auto before = encoder_as_loaded(c);
  const auto after = encoder_after_training(c, dir);
  EXPECT_TRUE(same(before, after, kWords));
  EXPECT_FALSE(same(before, after, kFirstQuery));
}

TEST(EmbeddingLr, AtOneTheWordEmbeddingsTrainWithTheLayers) {
  HECTO_REQUIRE_SHARED_DATA();
  hecto::testing::TempDir dir;
  const Config c = tiny_finetuned_cell(1.0);
  const auto before = encoder_as_loaded(c);
  const auto after = encoder_after_training(c, dir);
  EXPECT_FALSE(same(before, after, kWords));
  EXPECT_FALSE(same(before, after, kFirstQuery));
}
