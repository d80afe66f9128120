#pragma once
// The order in which a training epoch visits its examples, as batches of indices.
//
// "random": a uniform shuffle cut into batches (the textbook loader).
// "length_grouped": Hugging Face's group_by_length: shuffle, cut into mega-batches of
// kMegaBatchFactor batches, sort each mega-batch by length (longest first), cut it into
// batches, then shuffle the batch order. Every batch still mixes examples from across the
// split, but its members have similar lengths, so dynamic padding computes few pad tokens.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "experiment/modes.h"

namespace hecto::train {

inline constexpr int64_t kMegaBatchFactor = 50;

// lengths[i]: tokens of example i. Every index appears in exactly one batch; all batches but
// possibly the last of each mega-batch hold batch_size indices. Throws std::invalid_argument
// for a batch_size below 1.
std::vector<std::vector<int64_t>> epoch_batches(const std::vector<int64_t>& lengths, int64_t batch_size,
                                                experiment::Batching mode, std::mt19937_64& rng);

// Tokens a batch computes when padded to its longest member, summed over batches: the padded
// cost that length grouping lowers.
int64_t padded_tokens(const std::vector<std::vector<int64_t>>& batches, const std::vector<int64_t>& lengths);

}  // namespace hecto::train
