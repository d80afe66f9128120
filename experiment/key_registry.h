#pragma once
// A registry of dotted keys for a struct of settings: each key's type, how to read and write it,
// and what values it accepts. Experiment configs ("train.lr") and pretraining recipes ("dim")
// both go through it, so a wrong key, type or value reads the same wherever it was written:
//   unknown config key 'train.epoch' (did you mean 'train.epochs'?)
//   train.epochs = "five" has the wrong type (train.epochs is int)      expected an integer
//   invalid value "half" for encoder.mode                                expected "frozen" or "finetuned"
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "common/closest_match.h"
#include "common/error.h"
#include "experiment/modes.h"

namespace hecto::experiment {

// What a value must be beyond its type: "" when acceptable, else what is expected.
using Check = std::function<std::string(const nlohmann::json&)>;

inline Check positive() {
  return [](const nlohmann::json& v) { return v.get<double>() > 0 ? "" : "a positive number"; };
}
inline Check non_negative() {
  return [](const nlohmann::json& v) { return v.get<double>() >= 0 ? "" : "a number >= 0"; };
}
inline Check in_range(double lo, double hi) {
  return [lo, hi](const nlohmann::json& v) -> std::string {
    const double x = v.get<double>();
    return x >= lo && x <= hi ? ""
                              : "a number in [" + nlohmann::json(lo).dump() + ", " + nlohmann::json(hi).dump() + "]";
  };
}
// One of `names`; otherwise "\"a\", \"b\" or \"c\"".
inline Check one_of(std::vector<std::string> names) {
  return [names](const nlohmann::json& v) -> std::string {
    for (const auto& n : names)
      if (v.get<std::string>() == n) return "";
    std::string expected;
    for (size_t i = 0; i < names.size(); ++i)
      expected += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("\"" + names[i] + "\"");
    return expected;
  };
}
inline Check non_empty(std::string what) {
  return [what](const nlohmann::json& v) { return v.empty() ? what : ""; };
}

// How one C++ member type is read from and written to JSON, and what its values look like.
template <class T, class Enable = void>
struct KeyValue;

template <>
struct KeyValue<bool> {
  static std::string type() { return "bool"; }
  static std::string expected() { return "true or false"; }
  static bool fits(const nlohmann::json& v) { return v.is_boolean(); }
  static std::string problem(const nlohmann::json&) { return ""; }
  static nlohmann::json to_json(bool v) { return v; }
  static bool from_json(const nlohmann::json& v) { return v.get<bool>(); }
};

template <class T>
struct KeyValue<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static std::string type() { return "int"; }
  static std::string expected() { return "an integer"; }
  // The member's exact type decides the range: a seed (uint64) is never negative, an int fits 32 bits.
  static bool fits(const nlohmann::json& v) {
    if (!v.is_number_integer()) return false;
    if (v.is_number_unsigned()) return v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<T>::max());
    const int64_t x = v.get<int64_t>();
    if constexpr (std::is_unsigned_v<T>)
      return x >= 0;
    else
      return x >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
             x <= static_cast<int64_t>(std::numeric_limits<T>::max());
  }
  static std::string problem(const nlohmann::json&) { return ""; }
  static nlohmann::json to_json(T v) { return v; }
  static T from_json(const nlohmann::json& v) { return v.get<T>(); }
};

template <>
struct KeyValue<double> {
  static std::string type() { return "float"; }
  static std::string expected() { return "a number"; }
  static bool fits(const nlohmann::json& v) { return v.is_number(); }  // 1 is a fine float
  static std::string problem(const nlohmann::json&) { return ""; }
  static nlohmann::json to_json(double v) { return v; }
  static double from_json(const nlohmann::json& v) { return v.get<double>(); }
};

template <>
struct KeyValue<std::string> {
  static std::string type() { return "string"; }
  static std::string expected() { return "a string in quotes"; }
  static bool fits(const nlohmann::json& v) { return v.is_string(); }
  static std::string problem(const nlohmann::json&) { return ""; }
  static nlohmann::json to_json(const std::string& v) { return v; }
  static std::string from_json(const nlohmann::json& v) { return v.get<std::string>(); }
};

template <>
struct KeyValue<std::vector<std::string>> {
  static std::string type() { return "string list"; }
  static std::string expected() { return "a list of strings, e.g. [\"ffnn\", \"gru\"]"; }
  static bool fits(const nlohmann::json& v) {
    if (!v.is_array()) return false;
    for (const auto& e : v)
      if (!e.is_string()) return false;
    return true;
  }
  static std::string problem(const nlohmann::json&) { return ""; }
  static nlohmann::json to_json(const std::vector<std::string>& v) { return v; }
  static std::vector<std::string> from_json(const nlohmann::json& v) { return v.get<std::vector<std::string>>(); }
};

// An enum is written as one of its names (modes.h).
template <class E>
struct KeyValue<E, std::enable_if_t<std::is_enum_v<E>>> {
  static std::string type() { return "string"; }
  static std::string expected() { return "a string in quotes"; }
  static bool fits(const nlohmann::json& v) { return v.is_string(); }
  static std::string problem(const nlohmann::json& v) {
    for (const auto& [value, name] : enum_names<E>())
      if (name == v.get<std::string>()) return "";
    return expected_names(enum_names<E>());
  }
  static nlohmann::json to_json(E v) { return to_string(v); }
  static E from_json(const nlohmann::json& v) { return parse_enum<E>(v.get<std::string>()); }
};

// A list of enum values, e.g. model.experts = ["ffnn", "gru"].
template <class E>
struct KeyValue<std::vector<E>, std::enable_if_t<std::is_enum_v<E>>> {
  static std::string type() { return "string list"; }
  static std::string expected() { return KeyValue<std::vector<std::string>>::expected(); }
  static bool fits(const nlohmann::json& v) { return KeyValue<std::vector<std::string>>::fits(v); }
  static std::string problem(const nlohmann::json& v) {
    for (const auto& e : v)
      if (!KeyValue<E>::problem(e).empty())
        return "a list of " + expected_names(enum_names<E>()) + " (got \"" + e.get<std::string>() + "\")";
    return "";
  }
  static nlohmann::json to_json(const std::vector<E>& v) {
    nlohmann::json j = nlohmann::json::array();
    for (E e : v) j.push_back(to_string(e));
    return j;
  }
  static std::vector<E> from_json(const nlohmann::json& v) {
    std::vector<E> out;
    for (const auto& e : v) out.push_back(parse_enum<E>(e.get<std::string>()));
    return out;
  }
};

template <class Target>
class KeyRegistry {
 public:
  struct Key {
    std::string name;
    std::string type;  // "int", "float", "string", "bool", "string list"
    std::function<nlohmann::json(const Target&)> get;
    std::function<void(Target&, const nlohmann::json&)> set;  // the value already passed every check
    std::function<bool(const nlohmann::json&)> fits;          // the member's type and range
    std::string expected_type;
    Check problem;  // enum names
    Check check;    // the key's own rule
  };

  // `docs` names where the keys are listed, for the unknown-key error.
  explicit KeyRegistry(std::string docs) : docs_(std::move(docs)) {}

  // `ref` returns the member the key names; one accessor serves reading and writing.
  template <class Ref>
  KeyRegistry& add(std::string name, Ref ref, Check check = {}) {
    using T = std::remove_cv_t<std::remove_reference_t<decltype(ref(std::declval<Target&>()))>>;
    using V = KeyValue<T>;
    Key k;
    k.name = std::move(name);
    k.type = V::type();
    k.get = [ref](const Target& t) { return V::to_json(ref(const_cast<Target&>(t))); };
    k.set = [ref](Target& t, const nlohmann::json& v) { ref(t) = V::from_json(v); };
    k.fits = &V::fits;
    k.expected_type = V::expected();
    k.problem = &V::problem;
    k.check = std::move(check);
    keys_.push_back(std::move(k));
    return *this;
  }

  const Key* find(const std::string& name) const {
    for (const auto& k : keys_)
      if (k.name == name) return &k;
    return nullptr;
  }
  const std::vector<Key>& keys() const { return keys_; }

  // Sets one key from a JSON value; InputError at `where` naming the key and what is expected.
  void set(Target& target, const std::string& name, const nlohmann::json& value,
           const common::SourceLocation& where) const {
    const Key* k = find(name);
    if (!k) {
      std::vector<std::string> names;
      for (const auto& key : keys_) names.push_back(key.name);
      throw common::InputError(
          where, "unknown config key '" + name + "' (did you mean '" + common::closest_match(name, names) + "'?)",
          "a key listed in " + docs_);
    }
    if (!k->fits(value))
      throw common::InputError(where,
                               name + " = " + value.dump() + " has the wrong type (" + name + " is " + k->type + ")",
                               k->expected_type);
    for (const Check* rule : {&k->problem, &k->check}) {
      if (!*rule) continue;
      const std::string expected = (*rule)(value);
      if (!expected.empty())
        throw common::InputError(where, "invalid value " + value.dump() + " for " + name, expected);
    }
    k->set(target, value);
  }

  // Nested objects by dotted key ("train.lr" -> {"train": {"lr": ...}}), every key present.
  nlohmann::json to_json(const Target& target) const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& k : keys_) j[pointer(k.name)] = k.get(target);
    return j;
  }

  // Sets every key the JSON holds (missing keys keep their defaults).
  void from_json(Target& target, const nlohmann::json& j, const std::string& source) const {
    for (const auto& k : keys_) {
      const auto p = pointer(k.name);
      if (j.contains(p) && !j.at(p).is_null()) set(target, k.name, j.at(p), {source});
    }
  }

 private:
  static nlohmann::json::json_pointer pointer(const std::string& dotted) {
    std::string p = "/" + dotted;
    for (auto& ch : p)
      if (ch == '.') ch = '/';
    return nlohmann::json::json_pointer(p);
  }

  std::string docs_;
  std::vector<Key> keys_;
};

}  // namespace hecto::experiment
