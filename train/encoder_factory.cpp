#include "train/encoder_factory.h"

#include <filesystem>

#include "common/error.h"
#include "common/sha256.h"
#include "model/encoder_fit.h"

namespace hecto::train {

using experiment::EncoderOptions;

namespace fs = std::filesystem;

namespace {
model::EncoderConfig random_config(const EncoderOptions& o) {
  model::EncoderConfig c = model::EncoderConfig::distilbert_base();
  c.dim = o.dim;
  c.n_layers = o.n_layers;
  c.n_heads = o.n_heads;
  c.hidden_dim = o.hidden_dim;
  return c;
}
}  // namespace

model::EncoderConfig estimated_shape(const EncoderOptions& o) {
  return o.source == experiment::EncoderSource::Random ? random_config(o) : model::EncoderConfig::distilbert_base();
}

std::string encoder_label(const EncoderOptions& o) {
  if (!o.name.empty()) return o.name;
  if (o.source == experiment::EncoderSource::Random)
    return "random-init distilbert dim " + std::to_string(o.dim) + " x " + std::to_string(o.n_layers);
  return fs::path(o.path).filename().string().empty() ? o.path : fs::path(o.path).filename().string();
}

EncoderBundle make_encoder(const EncoderOptions& o, const std::string& default_vocab) {
  EncoderBundle b;
  b.name = encoder_label(o);
  if (o.source == experiment::EncoderSource::Random) {
    model::check_fits_in_memory(random_config(o), "encoder.dim/n_layers/hidden_dim");
    b.encoder = model::Encoder(random_config(o));
    b.encoder->init_weights(o.init_seed);
    b.vocab_path = default_vocab;
    b.identity = "random:" + random_config(o).to_hf_json().dump() + ":seed=" + std::to_string(o.init_seed);
    return b;
  }
  if (o.path.empty())
    throw common::InputError({}, "encoder.source = \"pretrained\" needs encoder.path",
                             "a directory with config.json, vocab.txt and model.safetensors");
  auto loaded = model::load_pretrained(o.path);
  b.encoder = loaded.encoder;
  b.weights_sha256 = loaded.weights_sha256;
  b.identity = "sha256:" + loaded.weights_sha256;
  b.vocab_path = (fs::path(o.path) / "vocab.txt").string();
  if (!fs::exists(b.vocab_path)) b.vocab_path = default_vocab;
  return b;
}

}  // namespace hecto::train
