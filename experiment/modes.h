#pragma once
// The modes a config chooses between, as enums: parsed once at the config boundary (the key
// registry reads their names), never compared as strings deeper in. Each enum's name table is
// the one place its spelling lives; the canonical JSON (and so every cell id) uses these names.
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace hecto::experiment {

enum class EncoderMode { Frozen, Finetuned };
enum class EncoderSource { Pretrained, Random };
enum class Padding { Dynamic, Max };  // dynamic: to the batch's longest; max: to max_len (naive)
enum class Batching { LengthGrouped, Random };
enum class Schedule { Linear, Constant };  // learning rate after warm-up

template <class E>
using EnumNames = std::vector<std::pair<E, std::string>>;

// Specialised once per enum below.
template <class E>
const EnumNames<E>& enum_names();

template <>
inline const EnumNames<EncoderMode>& enum_names() {
  static const EnumNames<EncoderMode> n{{EncoderMode::Frozen, "frozen"}, {EncoderMode::Finetuned, "finetuned"}};
  return n;
}
template <>
inline const EnumNames<EncoderSource>& enum_names() {
  static const EnumNames<EncoderSource> n{{EncoderSource::Pretrained, "pretrained"}, {EncoderSource::Random, "random"}};
  return n;
}
template <>
inline const EnumNames<Padding>& enum_names() {
  static const EnumNames<Padding> n{{Padding::Dynamic, "dynamic"}, {Padding::Max, "max"}};
  return n;
}
template <>
inline const EnumNames<Batching>& enum_names() {
  static const EnumNames<Batching> n{{Batching::LengthGrouped, "length_grouped"}, {Batching::Random, "random"}};
  return n;
}
template <>
inline const EnumNames<Schedule>& enum_names() {
  static const EnumNames<Schedule> n{{Schedule::Linear, "linear"}, {Schedule::Constant, "constant"}};
  return n;
}

template <class E>
std::string to_string(E value) {
  for (const auto& [v, name] : enum_names<E>())
    if (v == value) return name;
  return "?";
}

// "\"frozen\" or \"finetuned\"": what an error says is expected.
template <class E>
std::string expected_names(const EnumNames<E>& names) {
  std::string s;
  for (const auto& [v, name] : names) s += (s.empty() ? "\"" : " or \"") + name + "\"";
  return s;
}

// Throws InputError naming what is expected when `name` is none of E's names.
template <class E>
E parse_enum(const std::string& name, const common::SourceLocation& where = {}) {
  for (const auto& [v, n] : enum_names<E>())
    if (n == name) return v;
  throw common::InputError(where, "invalid value \"" + name + "\"", expected_names(enum_names<E>()));
}

}  // namespace hecto::experiment
