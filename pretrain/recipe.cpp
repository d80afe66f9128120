#include "pretrain/recipe.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/sha256.h"
#include "tasks/task.h"

namespace hecto::pretrain {

namespace {

using common::InputError;
using common::SourceLocation;

SourceLocation where(const toml::source_region& r, const std::string& file) {
  return {file, static_cast<long>(r.begin.line), static_cast<long>(r.begin.column)};
}

// One reader per key: checks the TOML type, converts and stores.
struct KeyReader {
  std::string type;  // as printed in errors
  std::function<void(PretrainConfig&, const toml::node&, const SourceLocation&, const std::string& key)> read;
};

int64_t read_integer(const toml::node& n, const SourceLocation& at, const std::string& key, int64_t lo, int64_t hi) {
  auto v = n.value_exact<int64_t>();
  if (!v) throw InputError(at, "[pretrain] " + key + " has the wrong type", "an integer");
  if (*v < lo || *v > hi)
    throw InputError(at, "[pretrain] " + key + " = " + std::to_string(*v) + " is out of range",
                     "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return *v;
}

double read_float(const toml::node& n, const SourceLocation& at, const std::string& key, double lo, double hi) {
  std::optional<double> v;
  if (n.is_floating_point()) v = n.value_exact<double>();
  if (n.is_integer()) v = static_cast<double>(*n.value_exact<int64_t>());  // `lr = 1` is a fine float
  if (!v) throw InputError(at, "[pretrain] " + key + " has the wrong type", "a number");
  if (!std::isfinite(*v) || *v < lo || *v > hi) {
    std::ostringstream range;
    range << "a number in [" << lo << ", " << hi << "]";
    throw InputError(at, "[pretrain] " + key + " is out of range", range.str());
  }
  return *v;
}

std::string read_string(const toml::node& n, const SourceLocation& at, const std::string& key) {
  auto v = n.value_exact<std::string>();
  if (!v) throw InputError(at, "[pretrain] " + key + " has the wrong type", "a string");
  return *v;
}

constexpr int64_t kBig = int64_t{1} << 40;

const std::map<std::string, KeyReader>& readers() {
  using C = PretrainConfig;
  using N = toml::node;
  using L = SourceLocation;
  using S = std::string;
  auto int_key = [](int C::*field, int64_t lo, int64_t hi) {
    return KeyReader{"integer", [=](C& c, const N& n, const L& at, const S& k) {
                       c.*field = static_cast<int>(read_integer(n, at, k, lo, hi));
                     }};
  };
  auto long_key = [](int64_t C::*field, int64_t lo, int64_t hi) {
    return KeyReader{"integer", [=](C& c, const N& n, const L& at, const S& k) {
                       c.*field = read_integer(n, at, k, lo, hi);
                     }};
  };
  auto float_key = [](double C::*field, double lo, double hi) {
    return KeyReader{"number", [=](C& c, const N& n, const L& at, const S& k) {
                       c.*field = read_float(n, at, k, lo, hi);
                     }};
  };
  static const std::map<std::string, KeyReader> table{
      {"tasks",
       {"array of strings",
        [](C& c, const N& n, const L& at, const S& k) {
          const auto* arr = n.as_array();
          if (!arr || arr->empty()) throw InputError(at, "[pretrain] tasks must be a non-empty array", "e.g. [\"agnews\", \"sst2\"]");
          c.tasks.clear();
          const auto known = tasks::task_names();
          for (const auto& e : *arr) {
            auto name = e.value_exact<std::string>();
            if (!name) throw InputError(where(e.source(), at.file), "[pretrain] tasks holds a non-string", "task names");
            if (std::find(known.begin(), known.end(), *name) == known.end()) {
              std::string list;
              for (const auto& t : known) list += (list.empty() ? "" : ", ") + t;
              throw InputError(where(e.source(), at.file), "unknown task '" + *name + "'", "one of " + list);
            }
            c.tasks.push_back(*name);
          }
        }}},
      {"dim", int_key(&C::dim, 8, 4096)},
      {"n_layers", int_key(&C::n_layers, 1, 48)},
      {"n_heads", int_key(&C::n_heads, 1, 64)},
      {"hidden_dim", int_key(&C::hidden_dim, 8, 16384)},
      {"dropout", float_key(&C::dropout, 0.0, 0.9)},
      {"attention_dropout", float_key(&C::attention_dropout, 0.0, 0.9)},
      {"max_position_embeddings", int_key(&C::max_position_embeddings, 8, 8192)},
      {"max_len", int_key(&C::max_len, 8, 8192)},
      {"mask_prob", float_key(&C::mask_prob, 0.01, 0.99)},
      {"batch_size", int_key(&C::batch_size, 1, 65536)},
      {"lr", float_key(&C::lr, 1e-8, 1.0)},
      {"warmup_steps", long_key(&C::warmup_steps, 0, kBig)},
      {"weight_decay", float_key(&C::weight_decay, 0.0, 1.0)},
      {"schedule",
       {"string",
        [](C& c, const N& n, const L& at, const S& k) {
          c.schedule = read_string(n, at, k);
          if (c.schedule != "linear" && c.schedule != "constant")
            throw InputError(at, "[pretrain] schedule '" + c.schedule + "' is unknown", "\"linear\" or \"constant\"");
        }}},
      {"grad_clip", float_key(&C::grad_clip, 0.0, 1e6)},
      {"max_steps", long_key(&C::max_steps, 0, kBig)},
      {"max_minutes", float_key(&C::max_minutes, 0.0, 1e7)},
      {"seed",
       {"integer",
        [](C& c, const N& n, const L& at, const S& k) { c.seed = static_cast<uint64_t>(read_integer(n, at, k, 0, kBig)); }}},
      {"output", {"string", [](C& c, const N& n, const L& at, const S& k) { c.output = read_string(n, at, k); }}},
      {"checkpoint_every_steps", long_key(&C::checkpoint_every_steps, 1, kBig)},
      {"log_every_steps", long_key(&C::log_every_steps, 1, kBig)},
  };
  return table;
}

PretrainConfig from_table(const toml::table& root, const std::string& source) {
  const toml::node* node = root.get("pretrain");
  if (!node) throw InputError({source, 0, 0}, "no [pretrain] table", "a [pretrain] table with the recipe's keys");
  const auto* table = node->as_table();
  if (!table) throw InputError(where(node->source(), source), "'pretrain' is not a table", "a [pretrain] table");

  PretrainConfig c;
  c.source = source;
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    auto it = readers().find(name);
    if (it == readers().end()) {
      std::string list;
      for (const auto& [k, r] : readers()) list += (list.empty() ? "" : ", ") + k;
      throw InputError(where(key.source(), source), "unknown key '" + name + "' in [pretrain]", "one of " + list);
    }
    it->second.read(c, value, where(value.source(), source), name);
  }
  const SourceLocation at{source, static_cast<long>(table->source().begin.line), 0};
  if (c.dim % c.n_heads != 0)
    throw InputError(at, "[pretrain] dim " + std::to_string(c.dim) + " is not divisible by n_heads " + std::to_string(c.n_heads),
                     "dim a multiple of n_heads");
  if (c.max_len > c.max_position_embeddings)
    throw InputError(at, "[pretrain] max_len exceeds max_position_embeddings", "max_len <= max_position_embeddings");
  if (c.max_steps == 0 && c.max_minutes == 0)
    throw InputError(at, "[pretrain] has no budget", "max_steps and/or max_minutes greater than 0");
  return c;
}

}  // namespace

std::string PretrainConfig::resolved_output() const {
  return output.empty() ? "weights/offline-mlm-" + std::to_string(dim) + "x" + std::to_string(n_layers) : output;
}

nlohmann::json PretrainConfig::to_json() const {
  auto j = recipe_json();
  j["output"] = resolved_output();
  j["max_minutes"] = max_minutes;
  j["checkpoint_every_steps"] = checkpoint_every_steps;
  j["log_every_steps"] = log_every_steps;
  j["source"] = source;
  return j;
}

nlohmann::json PretrainConfig::recipe_json() const {
  return {{"tasks", tasks},
          {"dim", dim},
          {"n_layers", n_layers},
          {"n_heads", n_heads},
          {"hidden_dim", hidden_dim},
          {"dropout", dropout},
          {"attention_dropout", attention_dropout},
          {"max_position_embeddings", max_position_embeddings},
          {"max_len", max_len},
          {"mask_prob", mask_prob},
          {"batch_size", batch_size},
          {"lr", lr},
          {"warmup_steps", warmup_steps},
          {"weight_decay", weight_decay},
          {"schedule", schedule},
          {"grad_clip", grad_clip},
          {"max_steps", max_steps},
          {"seed", seed}};
}

std::string PretrainConfig::recipe_hash() const { return common::sha256_hex(recipe_json().dump()); }

PretrainConfig parse_pretrain_config_text(const std::string& text, const std::string& source) {
  try {
    return from_table(toml::parse(text, source), source);
  } catch (const toml::parse_error& e) {
    throw InputError(where(e.source(), source), std::string(e.description()), "valid TOML");
  }
}

PretrainConfig parse_pretrain_config(const std::string& path) {
  try {
    return from_table(toml::parse_file(path), path);
  } catch (const toml::parse_error& e) {
    throw InputError(where(e.source(), path), std::string(e.description()), "valid TOML");
  }
}

}  // namespace hecto::pretrain
