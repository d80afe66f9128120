#pragma once
// A cell's artifact (train.save_artifact): what `hecto explain` needs to route and explain new
// texts later, in <artifact dir>/<cell id>/:
//   meta.json          the cell's config, the head's shape, the task's labels, max_len
//   head.safetensors   the trained Hecto head
//   encoder/           the encoder (Hugging Face layout) when it was fine-tuned or randomly
//                      initialised; a frozen checkpoint is referenced by its path and sha256
//   vocab.txt          the tokenizer's vocabulary
#include <string>
#include <vector>

#include "experiment/config.h"
#include "model/encoder.h"
#include "model/hecto_head.h"
#include "results/records.h"
#include "text/tokenizer.h"

namespace hecto::train {

struct ArtifactInput {
  const experiment::Config& config;
  model::Encoder encoder;
  model::HectoHead head;
  std::string vocab_path;
  std::string encoder_checkpoint;  // a frozen checkpoint's directory ("" = save the encoder)
  std::string encoder_sha256;
  std::vector<std::string> label_names;
};

// Writes the directory (replacing an older one of the same cell) and returns it with its size.
results::Artifact save_artifact(const std::string& dir, const ArtifactInput& in);

struct LoadedArtifact {
  experiment::Config config;
  model::Encoder encoder{nullptr};
  model::HectoHead head{nullptr};
  text::Tokenizer tokenizer;
  std::vector<std::string> label_names;
};

// InputError naming the file for a missing or inconsistent artifact (or a frozen checkpoint
// whose sha256 changed since).
LoadedArtifact load_artifact(const std::string& dir);

}  // namespace hecto::train
