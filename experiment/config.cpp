#include "experiment/config.h"

#include <algorithm>

#include "common/error.h"
#include "experiment/key_registry.h"
#include "tasks/task.h"

namespace hecto::experiment {

using common::InputError;
using nlohmann::json;

namespace {

std::string known_task(const json& v) {
  const auto names = tasks::task_names();
  if (std::find(names.begin(), names.end(), v.get<std::string>()) != names.end()) return "";
  std::string s = "a task: ";
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::string ratio_below_one(const json& v) {
  return v.get<double>() >= 0 && v.get<double>() < 1 ? "" : "a ratio in [0, 1)";
}

#define HECTO_KEY(key, member, ...) \
  add(                              \
      key, [](Config & c) -> auto& { return c.member; }, ##__VA_ARGS__)

KeyRegistry<Config> make_registry() {
  KeyRegistry<Config> r("docs/experiments.md");
  r.HECTO_KEY("experiment", experiment)
      .HECTO_KEY("variant", variant, non_empty("a variant name"))
      .HECTO_KEY("seed", seed)
      .HECTO_KEY("data.task", data.task, known_task)
      .HECTO_KEY("data.framing", data.framing)
      .HECTO_KEY("data.train_size", data.train_size, non_negative())
      .HECTO_KEY("data.eval_size", data.eval_size, non_negative())
      .HECTO_KEY("data.validation_size", data.validation_size, non_negative())
      .HECTO_KEY("data.max_len", data.max_len, positive())
      .HECTO_KEY("data.train_file", data.train_file)
      .HECTO_KEY("encoder.mode", encoder.mode)
      .HECTO_KEY("encoder.source", encoder.source)
      .HECTO_KEY("encoder.path", encoder.path)
      .HECTO_KEY("encoder.name", encoder.name)
      .HECTO_KEY("encoder.dim", encoder.dim, positive())
      .HECTO_KEY("encoder.n_layers", encoder.n_layers, positive())
      .HECTO_KEY("encoder.n_heads", encoder.n_heads, positive())
      .HECTO_KEY("encoder.hidden_dim", encoder.hidden_dim, positive())
      .HECTO_KEY("encoder.init_seed", encoder.init_seed)
      .HECTO_KEY("model.kind", model.kind)
      .HECTO_KEY("model.proj_dim", model.proj_dim, positive())
      .HECTO_KEY("model.gate_hidden", model.gate_hidden, positive())
      .HECTO_KEY("model.expert_hidden", model.expert_hidden, positive())
      .HECTO_KEY("model.experts", model.experts, non_empty("at least one expert"))
      .HECTO_KEY("model.top_k", model.top_k, positive())
      .HECTO_KEY("model.temperature", model.temperature, positive())
      .HECTO_KEY("model.lambda_ent", model.lambda_ent, non_negative())
      .HECTO_KEY("model.lambda_div", model.lambda_div, non_negative())
      .HECTO_KEY("model.sparse_dispatch", model.sparse_dispatch)
      .HECTO_KEY("model.pooling", model.pooling)
      .HECTO_KEY("train.epochs", train.epochs, positive())
      .HECTO_KEY("train.batch_size", train.batch_size, positive())
      .HECTO_KEY("train.lr", train.lr, positive())
      .HECTO_KEY("train.head_lr", train.head_lr, non_negative())
      .HECTO_KEY("train.embedding_lr_scale", train.embedding_lr_scale, non_negative())
      .HECTO_KEY("train.weight_decay", train.weight_decay, non_negative())
      .HECTO_KEY("train.warmup_ratio", train.warmup_ratio, ratio_below_one)
      .HECTO_KEY("train.schedule", train.schedule)
      .HECTO_KEY("train.grad_clip", train.grad_clip, non_negative())
      .HECTO_KEY("train.eval_batch_size", train.eval_batch_size, positive())
      .HECTO_KEY("train.padding", train.padding)
      .HECTO_KEY("train.batching", train.batching)
      .HECTO_KEY("train.feature_cache", train.feature_cache)
      .HECTO_KEY("train.eval_schedule", train.eval_schedule)
      .HECTO_KEY("train.monitor_size", train.monitor_size, non_negative())
      .HECTO_KEY("train.precision", train.precision)
      .HECTO_KEY("train.save_artifact", train.save_artifact)
      .HECTO_KEY("train.explain_per_class", train.explain_per_class, non_negative())
      .HECTO_KEY("floor.c", floor.c, positive())
      .HECTO_KEY("floor.max_ngram", floor.max_ngram, in_range(1, 5));
  return r;
}

#undef HECTO_KEY

}  // namespace

const KeyRegistry<Config>& config_registry() {
  static const KeyRegistry<Config> registry = make_registry();
  return registry;
}

json Config::to_json() const { return config_registry().to_json(*this); }

Config Config::from_json(const json& j) {
  Config c;
  config_registry().from_json(c, j, "config JSON");
  return c;
}

void set_config_value(Config& config, const std::string& dotted_key, const json& value, const std::string& where) {
  config_registry().set(config, dotted_key, value, {where});
}

std::vector<std::pair<std::string, std::string>> config_keys() {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& k : config_registry().keys()) keys.emplace_back(k.name, k.type);
  return keys;
}

tasks::TaskOptions task_options(const Config& c, const std::string& data_dir) {
  tasks::TaskOptions o;
  o.data_dir = data_dir;
  o.framing = c.data.framing;
  o.train_size = c.data.train_size;
  o.eval_size = c.data.eval_size;
  o.validation_size = c.data.validation_size;
  o.sample_seed = c.seed;
  o.train_file = c.data.train_file;
  return o;
}

std::string resolve_axis_key(const std::string& axis) {
  if (axis == "task") return "data.task";
  if (axis == "batch_size") return "train.batch_size";
  if (axis == "encoder") return "encoder.mode";
  return axis;  // seed, variant and every dotted key are their own name
}

}  // namespace hecto::experiment
