#pragma once
// An enum's spelling as a table of (value, name) pairs, and the two lookups every such table
// needs. Header-only and torch-free, like the tables it serves (model/expert_kind.h,
// model/pooling.h), which the experiment layer reads without linking torch.
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace hecto::model {

template <class E>
using NameTable = std::vector<std::pair<E, std::string>>;

// The value's name; "?" for a value the table lacks.
template <class E>
std::string name_in(const NameTable<E>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

// The value named `name`; InputError "unknown <what> '<name>'", listing every name, otherwise.
template <class E>
E value_named(const NameTable<E>& names, const std::string& name, const std::string& what) {
  std::string expected;
  for (const auto& [v, n] : names) {
    if (n == name) return v;
    expected += (expected.empty() ? "\"" : " or \"") + n + "\"";
  }
  throw common::InputError({}, "unknown " + what + " '" + name + "'", expected);
}

}  // namespace hecto::model
