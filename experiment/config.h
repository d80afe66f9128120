#pragma once
// Config: one fully resolved cell of an experiment matrix. Every field has a dotted key
// ("train.lr", "model.lambda_ent", ...) used by experiment files, --set overrides, the
// canonical JSON that cell ids hash, and the results database. Defaults are the paper's.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace hecto::experiment {

struct DataOptions {
  std::string task = "agnews";      // agnews | sst2 | stsb | hotpotqa
  std::string framing;              // hotpotqa framing ("" = the task's default)
  int64_t train_size = 5000;        // training sample size (0 = whole training file)
  int64_t eval_size = 0;            // cap on evaluation examples (0 = whole split)
  int max_len = 128;                // tokens per input, [CLS]/[SEP] included (the paper does not say)
};

struct EncoderOptions {
  std::string mode = "finetuned";   // frozen | finetuned
  std::string source = "pretrained";// pretrained (a Hugging Face directory) | random
  std::string path;                 // directory with config.json + model.safetensors (source = pretrained)
  std::string name;                 // label printed on every table ("" = derived from source and size)
  // Architecture when source = random (DistilBERT layout):
  int dim = 768, n_layers = 6, n_heads = 12, hidden_dim = 3072;
  uint64_t init_seed = 0;
};

struct ModelOptions {
  int proj_dim = 256, gate_hidden = 128, expert_hidden = 128;
  std::vector<std::string> experts{"ffnn", "gru"};
  int top_k = 1;
  double temperature = 1.5;
  double lambda_ent = 0.05, lambda_div = 0.08;
  bool sparse_dispatch = true;
};

struct TrainOptions {
  int epochs = 5;
  int batch_size = 16;
  double lr = 2e-5;                 // AdamW, the paper's value, for encoder and head
  double head_lr = 0;               // 0 = same as lr; the head alone may need more when the encoder is frozen
  double weight_decay = 0.01;
  double warmup_ratio = 0.0;
  double grad_clip = 1.0;           // max global norm (0 = off)
  int eval_batch_size = 64;
  std::string padding = "dynamic";  // dynamic (to the batch's longest) | max (to max_len, the naive baseline)
  std::string batching = "length_grouped";  // length_grouped (similar lengths per batch) | random
  bool feature_cache = true;        // frozen cells reuse cached encoder outputs
};

struct Config {
  std::string experiment;           // experiment name
  std::string variant = "hecto";    // named variant from the experiment file
  uint64_t seed = 0;
  DataOptions data;
  EncoderOptions encoder;
  ModelOptions model;
  TrainOptions train;

  // Canonical JSON: nested objects by section, keys sorted (nlohmann::json sorts), every field present.
  nlohmann::json to_json() const;
  static Config from_json(const nlohmann::json& j);
};

// Sets one field by dotted key from a JSON value of the right type. Throws InputError naming the
// key and the expected type when the key does not exist or the value does not fit.
void set_config_value(Config& config, const std::string& dotted_key, const nlohmann::json& value,
                      const std::string& where = "");
// Every dotted key with its type name ("int", "float", "string", "bool", "string list").
std::vector<std::pair<std::string, std::string>> config_keys();
// Short axis names accepted in [matrix]: task -> data.task, batch_size -> train.batch_size,
// encoder -> encoder.mode, seed -> seed, variant -> variant; any dotted key is accepted as is.
std::string resolve_axis_key(const std::string& axis);

}  // namespace hecto::experiment
