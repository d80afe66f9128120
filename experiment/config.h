#pragma once
// Config: one fully resolved cell of an experiment matrix. Every field has a dotted key
// ("train.lr", "model.lambda_ent", ...) used by experiment files, --set overrides, the
// canonical JSON that cell ids hash, and the results database. Defaults are the paper's.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "experiment/modes.h"
#include "model/expert_kind.h"
#include "model/pooling.h"
#include "tasks/task.h"

namespace hecto::experiment {

// What a cell trains: the paper's Hecto head on an encoder, or a floor that needs no encoder
// (floors/: majority class; TF-IDF with a linear model; TF-IDF cosine of a sentence pair).
enum class ModelKind { Hecto, Majority, TfidfLinear, TfidfCosine };
// When the trained model is scored on the evaluation split: once at the end, or after every
// epoch (what the naive baseline does; triples the evaluation cost of a 3-epoch cell).
enum class EvalSchedule { Final, EveryEpoch };
// Arithmetic of training and evaluation: fp32, bf16 autocast, or auto (bf16 where the device
// has native bf16 matrix units, else fp32). The resolved choice is recorded with every cell.
enum class Precision { Auto, Fp32, Bf16 };

template <>
inline const EnumNames<ModelKind>& enum_names() {
  static const EnumNames<ModelKind> n{{ModelKind::Hecto, "hecto"},
                                      {ModelKind::Majority, "majority"},
                                      {ModelKind::TfidfLinear, "tfidf_linear"},
                                      {ModelKind::TfidfCosine, "tfidf_cosine"}};
  return n;
}
template <>
inline const EnumNames<EvalSchedule>& enum_names() {
  static const EnumNames<EvalSchedule> n{{EvalSchedule::Final, "final"}, {EvalSchedule::EveryEpoch, "every_epoch"}};
  return n;
}
template <>
inline const EnumNames<Precision>& enum_names() {
  static const EnumNames<Precision> n{{Precision::Auto, "auto"}, {Precision::Fp32, "fp32"}, {Precision::Bf16, "bf16"}};
  return n;
}
template <>
inline const EnumNames<model::ExpertKind>& enum_names() {
  static const EnumNames<model::ExpertKind> n = model::expert_kind_names();
  return n;
}
template <>
inline const EnumNames<model::Pooling>& enum_names() {
  static const EnumNames<model::Pooling> n = model::pooling_names();
  return n;
}

struct DataOptions {
  std::string task = "agnews";  // agnews | sst2 | stsb | hotpotqa
  std::string framing;          // hotpotqa framing ("" = the task's default)
  int64_t train_size = 5000;    // training sample size (0 = whole training file)
  int64_t eval_size = 0;        // cap on evaluation examples (0 = whole split)
  int64_t validation_size = 0;  // training-file rows held out as the evaluation split (0 = the official split)
  int max_len = 128;            // tokens per input, [CLS]/[SEP] included (the paper does not say)
  std::string train_file;  // the training file under the data directory ("" = the task's own)
};

struct EncoderOptions {
  EncoderMode mode = EncoderMode::Finetuned;
  EncoderSource source = EncoderSource::Pretrained;  // a Hugging Face directory, or seeded random weights
  std::string path;  // directory with config.json + model.safetensors (source = pretrained)
  std::string name;  // label printed on every table ("" = derived from source and size)
  // Architecture when source = random (DistilBERT layout):
  int dim = 768, n_layers = 6, n_heads = 12, hidden_dim = 3072;
  uint64_t init_seed = 0;
};

struct ModelOptions {
  ModelKind kind = ModelKind::Hecto;
  int proj_dim = 256, gate_hidden = 128, expert_hidden = 128;
  std::vector<model::ExpertKind> experts{model::ExpertKind::FFNN, model::ExpertKind::GRU};
  int top_k = 1;
  double temperature = 1.5;
  double lambda_ent = 0.05, lambda_div = 0.08;
  bool sparse_dispatch = true;
  model::Pooling pooling = model::Pooling::Cls;  // what the gate and FFNN experts read (paper: [CLS])
};

struct TrainOptions {
  int epochs = 5;
  int batch_size = 16;
  double lr = 2e-5;    // AdamW, the paper's value, for encoder and head
  double head_lr = 0;  // 0 = same as lr; the head alone may need more when the encoder is frozen
  // The encoder's word-embedding matrix learns at lr x this (0: it stays as loaded and gets no
  // gradient). Small training sets move only the words they contain, away from the rest.
  double embedding_lr_scale = 1.0;
  double weight_decay = 0.01;
  double warmup_ratio = 0.0;
  double grad_clip = 1.0;  // max global norm (0 = off)
  int eval_batch_size = 64;
  Schedule schedule = Schedule::Constant;  // learning rate after warm-up
  Padding padding = Padding::Dynamic;
  Batching batching = Batching::LengthGrouped;
  bool feature_cache = true;  // frozen cells reuse cached encoder outputs
  EvalSchedule eval_schedule = EvalSchedule::EveryEpoch;
  int64_t monitor_size = 0;  // with eval_schedule = final: per-epoch evaluation on this many eval examples (0 = none)
  Precision precision = Precision::Fp32;
  bool save_artifact = false;   // keep the trained head (and a fine-tuned encoder) for `hecto explain`
  int64_t explain_per_class = 0;  // store the gate's integrated gradients for this many eval inputs per class
};

// The floors' settings (model.kind other than hecto).
struct FloorOptions {
  double c = 10.0;    // LIBLINEAR's C: inverse L2 regularisation strength
  int max_ngram = 2;  // TF-IDF over word 1..max_ngram grams
};

struct Config {
  std::string experiment;         // experiment name
  std::string variant = "hecto";  // named variant from the experiment file
  uint64_t seed = 0;
  DataOptions data;
  EncoderOptions encoder;
  ModelOptions model;
  TrainOptions train;
  FloorOptions floor;

  // Canonical JSON: nested objects by section, keys sorted (nlohmann::json sorts), every field present.
  nlohmann::json to_json() const;
  static Config from_json(const nlohmann::json& j);
};

// Sets one field by dotted key from a JSON value of the right type. Throws InputError naming the
// key and the expected type when the key does not exist or the value does not fit.
void set_config_value(Config& config, const std::string& dotted_key, const nlohmann::json& value,
                      const std::string& where = "");
// What a task needs of a config to read its splits.
tasks::TaskOptions task_options(const Config& config, const std::string& data_dir);

// The key registry behind the four functions above (experiment/key_registry.h).
template <class Target>
class KeyRegistry;
const KeyRegistry<Config>& config_registry();
// Every dotted key with its type name ("int", "float", "string", "bool", "string list").
std::vector<std::pair<std::string, std::string>> config_keys();
// Short axis names accepted in [matrix]: task -> data.task, batch_size -> train.batch_size,
// encoder -> encoder.mode, seed -> seed, variant -> variant; any dotted key is accepted as is.
std::string resolve_axis_key(const std::string& axis);

}  // namespace hecto::experiment
