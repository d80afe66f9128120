#pragma once
// What the gate and the FFNN experts read of the encoder output: the [CLS] token (the paper's
// view) or the mean of the valid tokens. Header-only and torch-free, so the experiment layer
// checks the name against the same list the model builds from.
//
// Why mean exists: an encoder whose layers learned no language (the offline track's skip-gram
// encoder: word vectors under random layers) puts nearly the same vector at [CLS] for every input
// (per-dimension spread 0.04 against a norm of 16 on AG News), so a gate on it has nothing to
// route by and an FFNN on it nothing to classify; the mean of the tokens keeps the words.
//
// Pair (sentence-pair tasks only): the view is [|u - v|, u * v] of the two sentences' mean tokens
// u and v (segments 0 and 1 of the joint input), as sentence-embedding models compare sentences
// (Reimers & Gurevych 2019), so the gate and FFNN experts read how alike the two are, which a
// [CLS] token only learns through attention the offline encoder never trained.
#include <string>

#include "model/named_enum.h"

namespace hecto::model {

enum class Pooling { Cls, Mean, Pair };

inline const NameTable<Pooling>& pooling_names() {
  static const NameTable<Pooling> names{{Pooling::Cls, "cls"}, {Pooling::Mean, "mean"}, {Pooling::Pair, "pair"}};
  return names;
}

inline std::string to_string(Pooling pooling) { return name_in(pooling_names(), pooling); }

// "cls" | "mean" | "pair"; InputError otherwise.
inline Pooling pooling_from_string(const std::string& name) { return value_named(pooling_names(), name, "pooling"); }

// How wide the view is for an encoder of width `dim`: the pair view is two vectors side by side.
inline int pooled_width(Pooling pooling, int dim) { return pooling == Pooling::Pair ? 2 * dim : dim; }

}  // namespace hecto::model
