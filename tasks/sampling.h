#pragma once
// Seeded subsets of a dataset. Everything here uses only std::mt19937_64's raw 64-bit outputs
// (whose sequence the C++ standard fixes) with our own bounded draw and Fisher-Yates, never
// std::uniform_int_distribution or std::shuffle (implementation-defined), so a seed selects the
// same rows on every platform and standard library.
#include <cstdint>
#include <random>
#include <vector>

namespace hecto::tasks {

// Uniform integer in [0, n) by rejection (no modulo bias). n > 0.
uint64_t uniform_below(std::mt19937_64& rng, uint64_t n);

// k of n indices, uniformly, returned in increasing order (k >= n: all of them).
std::vector<size_t> sample_indices(size_t n, size_t k, uint64_t seed);

// k indices stratified by stratum (e.g. the label): each stratum gets floor(k * n_s / n) rows,
// the rows left over go to the strata with the largest remainders (ties: smaller stratum id
// first); within a stratum rows are drawn uniformly. One generator seeded with `seed` serves the
// strata in increasing id order. Returned in increasing order, so the file's order is kept.
std::vector<size_t> stratified_sample(const std::vector<int>& strata, size_t k, uint64_t seed);

// Per-stratum counts stratified_sample would draw (exposed for tests).
std::vector<size_t> stratified_quota(const std::vector<size_t>& stratum_sizes, size_t k);

}  // namespace hecto::tasks
