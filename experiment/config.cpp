#include "experiment/config.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <type_traits>

#include "common/error.h"
#include "model/expert_kind.h"
#include "common/closest_match.h"
#include "tasks/task.h"

namespace hecto::experiment {

using common::InputError;
using nlohmann::json;

namespace {

// One dotted key: its type name, how to read and write it, and what values it accepts.
struct Field {
  std::string key;
  std::string type;  // "int", "float", "string", "bool", "string list"
  std::function<json(const Config&)> get;
  std::function<void(Config&, const json&)> set;  // the value already has the right type
  std::function<std::string(const json&)> check;   // "" when acceptable, else what is expected
};

template <class T>
std::string type_name_of() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_integral_v<T>) return "int";
  else if constexpr (std::is_floating_point_v<T>) return "float";
  else if constexpr (std::is_same_v<T, std::string>) return "string";
  else return "string list";
}

// `ref` returns the member a key names; one accessor serves both reading and writing.
template <class Ref>
Field field(std::string key, Ref ref, std::function<std::string(const json&)> check = {}) {
  using T = std::remove_reference_t<decltype(ref(std::declval<Config&>()))>;
  Field f;
  f.key = std::move(key);
  f.type = type_name_of<T>();
  f.get = [ref](const Config& c) { return json(ref(const_cast<Config&>(c))); };
  f.set = [ref](Config& c, const json& v) { ref(c) = v.get<T>(); };
  f.check = std::move(check);
  return f;
}

std::function<std::string(const json&)> positive() {
  return [](const json& v) { return v.get<double>() > 0 ? "" : "a positive number"; };
}
std::function<std::string(const json&)> non_negative() {
  return [](const json& v) { return v.get<double>() >= 0 ? "" : "a number >= 0"; };
}
std::function<std::string(const json&)> one_of(std::vector<std::string> allowed) {
  return [allowed](const json& v) -> std::string {
    if (std::find(allowed.begin(), allowed.end(), v.get<std::string>()) != allowed.end()) return "";
    std::string s;
    for (const auto& a : allowed) s += (s.empty() ? "" : " or ") + ("\"" + a + "\"");
    return s;
  };
}

std::string known_task(const json& v) {
  const auto names = tasks::task_names();
  if (std::find(names.begin(), names.end(), v.get<std::string>()) != names.end()) return "";
  std::string s = "a task: ";
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::string known_experts(const json& v) {
  if (v.empty()) return "at least one expert";
  for (const auto& e : v) {
    try {
      model::expert_kind_from_string(e.get<std::string>());
    } catch (const InputError&) {
      return "expert kinds \"ffnn\" or \"gru\" (got \"" + e.get<std::string>() + "\")";
    }
  }
  return "";
}

#define HECTO_FIELD(key, member, ...) field(key, [](Config& c) -> auto& { return c.member; }, ##__VA_ARGS__)

const std::vector<Field>& fields() {
  static const std::vector<Field> all = {
      HECTO_FIELD("experiment", experiment),
      HECTO_FIELD("variant", variant,
                  [](const json& v) { return v.get<std::string>().empty() ? "a variant name" : ""; }),
      HECTO_FIELD("seed", seed),
      HECTO_FIELD("data.task", data.task, known_task),
      HECTO_FIELD("data.framing", data.framing),
      HECTO_FIELD("data.train_size", data.train_size, non_negative()),
      HECTO_FIELD("data.eval_size", data.eval_size, non_negative()),
      HECTO_FIELD("data.max_len", data.max_len, positive()),
      HECTO_FIELD("encoder.mode", encoder.mode, one_of({"frozen", "finetuned"})),
      HECTO_FIELD("encoder.source", encoder.source, one_of({"pretrained", "random"})),
      HECTO_FIELD("encoder.path", encoder.path),
      HECTO_FIELD("encoder.name", encoder.name),
      HECTO_FIELD("encoder.dim", encoder.dim, positive()),
      HECTO_FIELD("encoder.n_layers", encoder.n_layers, positive()),
      HECTO_FIELD("encoder.n_heads", encoder.n_heads, positive()),
      HECTO_FIELD("encoder.hidden_dim", encoder.hidden_dim, positive()),
      HECTO_FIELD("encoder.init_seed", encoder.init_seed),
      HECTO_FIELD("model.proj_dim", model.proj_dim, positive()),
      HECTO_FIELD("model.gate_hidden", model.gate_hidden, positive()),
      HECTO_FIELD("model.expert_hidden", model.expert_hidden, positive()),
      HECTO_FIELD("model.experts", model.experts, known_experts),
      HECTO_FIELD("model.top_k", model.top_k, positive()),
      HECTO_FIELD("model.temperature", model.temperature, positive()),
      HECTO_FIELD("model.lambda_ent", model.lambda_ent, non_negative()),
      HECTO_FIELD("model.lambda_div", model.lambda_div, non_negative()),
      HECTO_FIELD("model.sparse_dispatch", model.sparse_dispatch),
      HECTO_FIELD("train.epochs", train.epochs, positive()),
      HECTO_FIELD("train.batch_size", train.batch_size, positive()),
      HECTO_FIELD("train.lr", train.lr, positive()),
      HECTO_FIELD("train.head_lr", train.head_lr, non_negative()),
      HECTO_FIELD("train.weight_decay", train.weight_decay, non_negative()),
      HECTO_FIELD("train.warmup_ratio", train.warmup_ratio,
                  [](const json& v) { return v.get<double>() >= 0 && v.get<double>() < 1 ? "" : "a ratio in [0, 1)"; }),
      HECTO_FIELD("train.grad_clip", train.grad_clip, non_negative()),
      HECTO_FIELD("train.eval_batch_size", train.eval_batch_size, positive()),
      HECTO_FIELD("train.padding", train.padding, one_of({"dynamic", "max"})),
      HECTO_FIELD("train.batching", train.batching, one_of({"length_grouped", "random"})),
      HECTO_FIELD("train.feature_cache", train.feature_cache),
  };
  return all;
}

#undef HECTO_FIELD

const Field* find_field(const std::string& key) {
  for (const auto& f : fields())
    if (f.key == key) return &f;
  return nullptr;
}

std::string expected_for_type(const std::string& type) {
  if (type == "int") return "an integer";
  if (type == "float") return "a number";
  if (type == "string") return "a string in quotes";
  if (type == "bool") return "true or false";
  return "a list of strings, e.g. [\"ffnn\", \"gru\"]";
}

// Does the JSON value have the field's type? Integers are accepted for float keys.
bool fits(const Field& f, const json& v, bool is_unsigned, bool is_narrow_int) {
  if (f.type == "int") {
    if (!v.is_number_integer()) return false;
    if (is_unsigned && v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0) return false;
    if (is_narrow_int && v.is_number_integer()) {
      const int64_t x = v.is_number_unsigned() ? static_cast<int64_t>(std::min<uint64_t>(v.get<uint64_t>(), INT64_MAX))
                                               : v.get<int64_t>();
      return x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max();
    }
    return true;
  }
  if (f.type == "float") return v.is_number();
  if (f.type == "string") return v.is_string();
  if (f.type == "bool") return v.is_boolean();
  if (!v.is_array()) return false;
  return std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
}

json pointer_value(const json& j, const std::string& key) {
  std::string p = "/" + key;
  std::replace(p.begin(), p.end(), '.', '/');
  const json::json_pointer ptr(p);
  return j.contains(ptr) ? j.at(ptr) : json();
}

}  // namespace

json Config::to_json() const {
  json j = json::object();
  for (const auto& f : fields()) {
    std::string p = "/" + f.key;
    std::replace(p.begin(), p.end(), '.', '/');
    j[json::json_pointer(p)] = f.get(*this);
  }
  return j;
}

Config Config::from_json(const json& j) {
  Config c;
  for (const auto& f : fields()) {
    json v = pointer_value(j, f.key);
    if (!v.is_null()) set_config_value(c, f.key, v, "config JSON");
  }
  return c;
}

void set_config_value(Config& config, const std::string& dotted_key, const json& value, const std::string& where) {
  const Field* f = find_field(dotted_key);
  if (!f) {
    std::vector<std::string> keys;
    for (const auto& k : fields()) keys.push_back(k.key);
    throw InputError({where}, "unknown config key '" + dotted_key + "' (did you mean '" + common::closest_match(dotted_key, keys) + "'?)",
                     "a key listed in docs/experiments.md");
  }
  // The member's exact C++ type decides the range an integer must fit.
  const bool is_unsigned = f->key == "seed" || f->key == "encoder.init_seed";
  const bool is_narrow = f->type == "int" && !is_unsigned && f->key != "data.train_size" && f->key != "data.eval_size";
  if (!fits(*f, value, is_unsigned, is_narrow))
    throw InputError({where}, dotted_key + " = " + value.dump() + " has the wrong type (" + f->key + " is " + f->type + ")",
                     expected_for_type(f->type));
  if (f->check) {
    const std::string expected = f->check(value);
    if (!expected.empty()) throw InputError({where}, "invalid value " + value.dump() + " for " + dotted_key, expected);
  }
  f->set(config, value);
}

std::vector<std::pair<std::string, std::string>> config_keys() {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& f : fields()) keys.emplace_back(f.key, f.type);
  return keys;
}

std::string resolve_axis_key(const std::string& axis) {
  if (axis == "task") return "data.task";
  if (axis == "batch_size") return "train.batch_size";
  if (axis == "encoder") return "encoder.mode";
  return axis;  // seed, variant and every dotted key are their own name
}

}  // namespace hecto::experiment
