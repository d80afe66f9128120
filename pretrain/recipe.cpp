#include "pretrain/recipe.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "common/sha256.h"
#include "experiment/key_registry.h"
#include "experiment/toml_values.h"
#include "tasks/task.h"

namespace hecto::pretrain {

namespace {

using common::InputError;
using common::SourceLocation;
using experiment::in_range;
using experiment::KeyRegistry;
using experiment::one_of;
using nlohmann::json;

constexpr double kBig = static_cast<double>(int64_t{1} << 40);

std::string known_tasks(const json& v) {
  if (v.empty()) return "a non-empty list of task names, e.g. [\"agnews\", \"sst2\"]";
  const auto known = tasks::task_names();
  for (const auto& name : v)
    if (std::find(known.begin(), known.end(), name.get<std::string>()) == known.end()) {
      std::string list;
      for (const auto& t : known) list += (list.empty() ? "" : ", ") + t;
      return "task names, one of " + list + " (got \"" + name.get<std::string>() + "\")";
    }
  return "";
}

std::string known_extra_text(const json& v) {
  for (const auto& name : v) {
    const auto n = name.get<std::string>();
    if (n != "hotpotqa_context" && n != "wordnet" && n != "gcide")
      return "\"hotpotqa_context\", \"wordnet\" or \"gcide\" (got \"" + n + "\")";
  }
  return "";
}

#define HECTO_KEY(key, member, ...) \
  add(                              \
      key, [](PretrainConfig & c) -> auto& { return c.member; }, ##__VA_ARGS__)

const KeyRegistry<PretrainConfig>& registry() {
  static const KeyRegistry<PretrainConfig> r = [] {
    KeyRegistry<PretrainConfig> k("docs/pretrain.md");
    k.HECTO_KEY("tasks", tasks, known_tasks)
        .HECTO_KEY("extra_text", extra_text, known_extra_text)
        .HECTO_KEY("task_text_repeat", task_text_repeat, in_range(1, 100))
        .HECTO_KEY("embedding_init", embedding_init, one_of({"random", "sgns"}))
        .HECTO_KEY("sgns_epochs", sgns_epochs, in_range(1, 100))
        .HECTO_KEY("sgns_window", sgns_window, in_range(1, 50))
        .HECTO_KEY("sgns_negatives", sgns_negatives, in_range(1, 100))
        .HECTO_KEY("sgns_rms", sgns_rms, in_range(1e-4, 10))
        .HECTO_KEY("cls_embedding", cls_embedding, one_of({"random", "empty"}))
        .HECTO_KEY("dim", dim, in_range(8, 4096))
        .HECTO_KEY("n_layers", n_layers, in_range(1, 48))
        .HECTO_KEY("n_heads", n_heads, in_range(1, 64))
        .HECTO_KEY("hidden_dim", hidden_dim, in_range(8, 16384))
        .HECTO_KEY("dropout", dropout, in_range(0, 0.9))
        .HECTO_KEY("attention_dropout", attention_dropout, in_range(0, 0.9))
        .HECTO_KEY("max_position_embeddings", max_position_embeddings, in_range(8, 8192))
        .HECTO_KEY("max_len", max_len, in_range(8, 8192))
        .HECTO_KEY("mask_prob", mask_prob, in_range(0.01, 0.99))
        .HECTO_KEY("objective", objective, one_of({"mlm", "rtd"}))
        .HECTO_KEY("train_embeddings", train_embeddings)
        .HECTO_KEY("init_from", init_from)
        .HECTO_KEY("batch_size", batch_size, in_range(1, 65536))
        .HECTO_KEY("lr", lr, in_range(1e-8, 1.0))
        .HECTO_KEY("warmup_steps", warmup_steps, in_range(0, kBig))
        .HECTO_KEY("weight_decay", weight_decay, in_range(0, 1))
        .HECTO_KEY("schedule", schedule)
        .HECTO_KEY("grad_clip", grad_clip, in_range(0, 1e6))
        .HECTO_KEY("max_steps", max_steps, in_range(0, kBig))
        .HECTO_KEY("max_minutes", max_minutes, in_range(0, 1e7))
        .HECTO_KEY("seed", seed, in_range(0, kBig))
        .HECTO_KEY("precision", precision, one_of({"auto", "fp32", "bf16"}))
        .HECTO_KEY("output", output)
        .HECTO_KEY("checkpoint_every_steps", checkpoint_every_steps, in_range(1, kBig))
        .HECTO_KEY("log_every_steps", log_every_steps, in_range(1, kBig));
    return k;
  }();
  return r;
}

#undef HECTO_KEY

// Keys that say where and how often, not what is trained: they stay out of the recipe's hash.
bool is_recipe_key(const std::string& key) {
  for (const char* k : {"output", "max_minutes", "checkpoint_every_steps", "log_every_steps"})
    if (key == k) return false;
  return true;
}

// Keys added after recipes were cached are left out of the hash at their defaults, so those
// recipes keep their identity (and their cached weights).
bool is_default_of_a_later_key(const std::string& key, const json& value) {
  static const PretrainConfig defaults;
  for (const char* later : {"task_text_repeat", "cls_embedding", "objective", "train_embeddings", "init_from"})
    if (key == later) return value == registry().to_json(defaults).at(key);
  return false;
}

// What only the whole recipe can tell.
void check_recipe(const PretrainConfig& c, const SourceLocation& at) {
  if (c.dim % c.n_heads != 0)
    throw InputError(
        at, "[pretrain] dim " + std::to_string(c.dim) + " is not divisible by n_heads " + std::to_string(c.n_heads),
        "dim a multiple of n_heads");
  if (c.max_len > c.max_position_embeddings)
    throw InputError(at, "[pretrain] max_len exceeds max_position_embeddings", "max_len <= max_position_embeddings");
  if (c.max_steps == 0 && c.max_minutes == 0 && c.embedding_init != "sgns")
    throw InputError(at, "[pretrain] has no budget", "max_steps and/or max_minutes greater than 0 (or embedding_init = \"sgns\")");
}

PretrainConfig from_root(const toml::table& root, const std::string& source) {
  const toml::node* node = root.get("pretrain");
  if (!node) throw InputError({source, 0, 0}, "no [pretrain] table", "a [pretrain] table with the recipe's keys");
  const auto& table = experiment::require_table(*node, "[pretrain]", source, "a [pretrain] table");
  PretrainConfig c;
  c.source = source;
  for (const auto& s : experiment::flatten_sorted(table, source)) registry().set(c, s.key, s.value, s.where);
  check_recipe(c, {source, static_cast<long>(table.source().begin.line), 0});
  if (const toml::node* start = table.get("init_from"))
    hash_start_encoder(
        c, {source, static_cast<long>(start->source().begin.line), static_cast<long>(start->source().begin.column)});
  return c;
}

}  // namespace

std::string PretrainConfig::resolved_output() const {
  return output.empty() ? "weights/offline-mlm-" + std::to_string(dim) + "x" + std::to_string(n_layers) : output;
}

nlohmann::json PretrainConfig::to_json() const {
  auto j = registry().to_json(*this);
  j["output"] = resolved_output();
  j["source"] = source;
  return j;
}

nlohmann::json PretrainConfig::recipe_json() const {
  json j = json::object();
  for (const auto& k : registry().keys())
    if (is_recipe_key(k.name) && !is_default_of_a_later_key(k.name, k.get(*this))) j[k.name] = k.get(*this);
  if (!init_from.empty()) j["init_from_sha256"] = init_from_sha256;
  return j;
}

void hash_start_encoder(PretrainConfig& c, const common::SourceLocation& at) {
  if (c.init_from.empty()) return;
  const auto weights = std::filesystem::path(c.init_from) / "model.safetensors";
  if (!std::filesystem::is_regular_file(weights))
    throw InputError(at.file.empty() ? SourceLocation{c.source, 0, 0} : at,
                     "[pretrain] init_from: no " + weights.string(),
                     "an encoder directory with model.safetensors (build it first, e.g. make pretrain)");
  c.init_from_sha256 = common::sha256_file(weights.string());
}

std::string PretrainConfig::recipe_hash() const { return common::sha256_hex(recipe_json().dump()); }

PretrainConfig parse_pretrain_config_text(const std::string& text, const std::string& source) {
  return from_root(experiment::parse_toml(text, source), source);
}

PretrainConfig parse_pretrain_config(const std::string& path) {
  return from_root(experiment::parse_toml(experiment::read_regular_file(path, {}, "pretraining recipe"), path), path);
}

}  // namespace hecto::pretrain
