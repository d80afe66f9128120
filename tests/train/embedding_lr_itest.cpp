// train.embedding_lr_scale on a whole fine-tuned cell: at 0 the word-embedding matrix leaves the
// cell exactly as it was loaded while the layers train; at 1 it trains with them. The trained
// encoder is read back from the cell's artifact.
#include <gtest/gtest.h>

#include <string>

#include "runtime/device.h"
#include "tasks/task.h"
#include "tests/testing.h"
#include "tests/train/tiny_cell.h"
#include "train/artifact.h"
#include "train/encoder_factory.h"
#include "train/trainer.h"

namespace {

using hecto::experiment::Config;

constexpr const char* kWords = "embeddings.word_embeddings.weight";
constexpr const char* kFirstQuery = "transformer.layer.0.attention.q_lin.weight";

struct BeforeAndAfter {
  hecto::model::Encoder before{nullptr}, after{nullptr};

  bool same(const std::string& name) const {
    return torch::equal(before->named_parameters()[name], after->named_parameters()[name]);
  }
};

// One fine-tuned epoch of the tiny cell; the trained encoder comes back from the cell's artifact.
BeforeAndAfter fine_tune_with_embedding_lr_scale(double scale) {
  hecto::testing::TempDir dir;
  Config c = hecto::testing::tiny_cell();
  c.encoder.mode = hecto::experiment::EncoderMode::Finetuned;
  c.train.epochs = 1;
  c.train.embedding_lr_scale = scale;
  c.train.save_artifact = true;
  hecto::train::TrainEnvironment env;
  env.data_dir = hecto::testing::shared_data_dir().string();
  env.device = hecto::runtime::resolve_device("cpu");
  env.artifact_dir = dir.path().string();
  env.cell_id = "cell";
  BeforeAndAfter e;
  e.before = hecto::train::make_encoder(c.encoder, hecto::tasks::default_vocab_path(env.data_dir)).encoder;
  hecto::train::train_and_evaluate(c, env);
  e.after = hecto::train::load_artifact((dir / "cell").string()).encoder;
  return e;
}

}  // namespace

TEST(EmbeddingLr, AtZeroTheWordEmbeddingsStayAsLoadedWhileTheLayersTrain) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto e = fine_tune_with_embedding_lr_scale(0.0);
  EXPECT_TRUE(e.same(kWords));
  EXPECT_FALSE(e.same(kFirstQuery));
}

TEST(EmbeddingLr, AtOneTheWordEmbeddingsTrainWithTheLayers) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto e = fine_tune_with_embedding_lr_scale(1.0);
  EXPECT_FALSE(e.same(kWords));
  EXPECT_FALSE(e.same(kFirstQuery));
}
