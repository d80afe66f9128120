#include "tasks/sampling.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace hecto::tasks {

uint64_t uniform_below(std::mt19937_64& rng, uint64_t n) {
  // Reject the lowest (2^64 mod n) values so every residue is equally likely.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

namespace {

// Partial Fisher-Yates: the first k entries of pool become a uniform k-subset.
void choose_in_place(std::vector<size_t>& pool, size_t k, std::mt19937_64& rng) {
  for (size_t i = 0; i < k && i + 1 < pool.size(); ++i) {
    const size_t j = i + static_cast<size_t>(uniform_below(rng, pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(std::min(k, pool.size()));
}

}  // namespace

std::vector<size_t> sample_indices(size_t n, size_t k, uint64_t seed) {
  std::vector<size_t> pool(n);
  std::iota(pool.begin(), pool.end(), size_t{0});
  if (k >= n) return pool;
  std::mt19937_64 rng(seed);
  choose_in_place(pool, k, rng);
  std::sort(pool.begin(), pool.end());
  return pool;
}

std::vector<size_t> stratified_quota(const std::vector<size_t>& sizes, size_t k) {
  const size_t n = std::accumulate(sizes.begin(), sizes.end(), size_t{0});
  if (k >= n) return sizes;
  std::vector<size_t> quota(sizes.size());
  std::vector<std::pair<size_t, size_t>> remainders;  // (remainder, stratum)
  size_t given = 0;
  for (size_t s = 0; s < sizes.size(); ++s) {
    const unsigned __int128 product = static_cast<unsigned __int128>(k) * sizes[s];
    quota[s] = static_cast<size_t>(product / n);
    remainders.emplace_back(static_cast<size_t>(product % n), s);
    given += quota[s];
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < k; ++i, ++given) ++quota[remainders[i].second];
  return quota;
}

std::vector<size_t> stratified_sample(const std::vector<int>& strata, size_t k, uint64_t seed) {
  if (k >= strata.size()) return sample_indices(strata.size(), k, seed);
  std::map<int, std::vector<size_t>> members;  // ordered: strata served in increasing id
  for (size_t i = 0; i < strata.size(); ++i) members[strata[i]].push_back(i);
  std::vector<size_t> sizes;
  for (const auto& [s, rows] : members) sizes.push_back(rows.size());
  const auto quota = stratified_quota(sizes, k);
  std::mt19937_64 rng(seed);
  std::vector<size_t> chosen;
  size_t s = 0;
  for (auto& [stratum, rows] : members) {
    choose_in_place(rows, quota[s++], rng);
    chosen.insert(chosen.end(), rows.begin(), rows.end());
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace hecto::tasks
