#pragma once
// The recipe of a masked-LM pretraining run, read from the [pretrain] table of a TOML file (a
// file of its own, or an experiment file that carries the table). Its canonical JSON, minus the
// fields that only say where and how long to run, is hashed: a checkpoint or a finished output
// is reused only by the same recipe.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "experiment/modes.h"

namespace hecto::pretrain {

struct PretrainConfig {
  // Corpus: the training splits of these tasks, and general English (pretrain/general_text.h):
  // any of "hotpotqa_context", "wordnet", "gcide".
  std::vector<std::string> tasks{"agnews", "sst2", "stsb"};
  std::vector<std::string> extra_text;
  // How many times the tasks' training texts enter the corpus (general English enters once): word
  // vectors learnt mostly from definitions and Wikipedia serve the tasks' own words less well.
  int task_text_repeat = 1;
  // Word embeddings: "random" (BERT's N(0, 0.02)) or "sgns": skip-gram vectors learnt on the
  // corpus first (pretrain/word_vectors.h), centred and scaled to per-coordinate RMS sgns_rms.
  std::string embedding_init = "random";
  int sgns_epochs = 5, sgns_window = 5, sgns_negatives = 5;
  double sgns_rms = 0.3;
  // The [CLS] word embedding: "random" (BERT's N(0, 0.02)) or "empty": minus position 0's
  // embedding, so [CLS] starts as the zero vector and the first layer fills it with a mix of the
  // input's tokens (pretrain/cls_embedding.h).
  std::string cls_embedding = "random";
  // Encoder (DistilBERT layout).
  int dim = 256, n_layers = 4, n_heads = 4, hidden_dim = 1024;
  double dropout = 0.1, attention_dropout = 0.1;
  int max_position_embeddings = 512;
  // Data and masking.
  int max_len = 128;  // tokens per packed sequence, [CLS]/[SEP] included
  double mask_prob = 0.15;
  // Objective: "mlm" (masked LM) or "rtd": replaced-token detection (ELECTRA's discriminator
  // task) where the replacements are drawn from the corpus' unigram distribution instead of a
  // generator; the loss covers every token, not only the chosen 15%.
  std::string objective = "mlm";
  // false: the embeddings (word, position, their LayerNorm) stay as initialised; only the layers learn.
  bool train_embeddings = true;
  // An encoder directory to start from instead of initialising (its word vectors and [CLS]),
  // e.g. the word-vector encoder; relative to where `hecto` runs. The sha256 of its weights is
  // part of the recipe's identity, so a changed start never resumes or reuses an old run.
  std::string init_from;
  std::string init_from_sha256;  // filled by hash_start_encoder(), not a key of the table
  // Optimisation: AdamW; lr rises linearly over warmup_steps, then falls linearly to 0 at
  // max_steps ("linear") or stays ("constant"; also what "linear" does without max_steps).
  int batch_size = 32;
  double lr = 5e-4;
  int64_t warmup_steps = 0;
  double weight_decay = 0.01;
  experiment::Schedule schedule = experiment::Schedule::Linear;
  double grad_clip = 1.0;  // max global norm (0 = off)
  // Budget: the run is complete at whichever comes first (0 = no limit; one must be set).
  int64_t max_steps = 0;
  double max_minutes = 0;  // cumulative training minutes over resumed runs
  uint64_t seed = 0;
  std::string precision = "fp32";  // auto | fp32 | bf16 (runtime/precision.h)
  // Where and how often (not part of the recipe's identity).
  std::string output;  // "" = weights/offline-mlm-<dim>x<n_layers>
  int64_t checkpoint_every_steps = 200;
  int64_t log_every_steps = 10;  // the loss curve's resolution

  std::string source;  // the file it was read from

  std::string resolved_output() const;
  nlohmann::json to_json() const;      // every field, canonical (sorted keys)
  nlohmann::json recipe_json() const;  // to_json() without output, source, cadences and max_minutes
  std::string recipe_hash() const;     // sha256 hex of recipe_json().dump()
};

// With embedding_init "sgns" the masked-LM budget may be zero (max_steps = max_minutes = 0):
// the encoder is then the word vectors under randomly initialised layers.
// Reads the [pretrain] table of a TOML file through the same key registry as experiment
// configs (experiment/key_registry.h). Throws InputError with file:line:column on a TOML syntax
// error, a missing table, an unknown key, a wrong type or an out-of-range value.
PretrainConfig parse_pretrain_config(const std::string& path);
// Fills init_from_sha256 from init_from's model.safetensors (nothing without init_from). Throws
// InputError at `at` (default: the recipe's file) when the directory holds no weights. Parsing
// and pretrain() call it.
void hash_start_encoder(PretrainConfig& c, const common::SourceLocation& at = {});
// The same from TOML text (source names it in errors).
PretrainConfig parse_pretrain_config_text(const std::string& text, const std::string& source);

}  // namespace hecto::pretrain
