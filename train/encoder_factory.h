#pragma once
// Builds the encoder a cell asks for: a Hugging Face-layout checkpoint (source = pretrained)
// or a seeded random initialisation of the DistilBERT architecture (source = random), and the
// label every table prints for it, so no figure is mistaken for the paper's DistilBERT.
#include <string>

#include "experiment/config.h"
#include "model/encoder.h"

namespace hecto::train {

struct EncoderBundle {
  model::Encoder encoder{nullptr};
  std::string vocab_path;      // the tokenizer vocab that belongs to these weights
  std::string name;            // e.g. "random-init distilbert dim 256 x 4"
  std::string weights_sha256;  // "" for random initialisation
  std::string identity;        // what identifies the weights: sha256, or the random-init recipe
};

// default_vocab: used by random encoders (the data dir's bert-base-uncased vocab.txt).
EncoderBundle make_encoder(const experiment::EncoderOptions& options, const std::string& default_vocab);

// The encoder's shape for estimates made before anything is built (plan cost, --jobs auto):
// the configured architecture of a random encoder; DistilBERT-base for a checkpoint, whose
// config.json is not read here.
model::EncoderConfig estimated_shape(const experiment::EncoderOptions& options);

// The label alone, without building anything (plan and report use it).
std::string encoder_label(const experiment::EncoderOptions& options);

}  // namespace hecto::train
