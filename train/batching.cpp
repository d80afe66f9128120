#include "train/batching.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace hecto::train {

namespace {

// Fisher-Yates with rng() % (i + 1), as the trainer has always shuffled, so "random" keeps
// the batch order of earlier versions for the same seed.
template <typename T>
void shuffle_in_place(std::vector<T>& v, std::mt19937_64& rng) {
  for (int64_t i = static_cast<int64_t>(v.size()) - 1; i > 0; --i)
    std::swap(v[i], v[rng() % static_cast<uint64_t>(i + 1)]);
}

std::vector<std::vector<int64_t>> cut(const std::vector<int64_t>& order, size_t from, size_t to, int64_t batch_size) {
  std::vector<std::vector<int64_t>> out;
  for (size_t s = from; s < to; s += static_cast<size_t>(batch_size))
    out.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(s),
                     order.begin() + static_cast<std::ptrdiff_t>(std::min(to, s + static_cast<size_t>(batch_size))));
  return out;
}

}  // namespace

std::vector<std::vector<int64_t>> epoch_batches(const std::vector<int64_t>& lengths, int64_t batch_size,
                                                experiment::Batching mode, std::mt19937_64& rng) {
  if (batch_size < 1) throw std::invalid_argument("epoch_batches: batch_size must be at least 1");
  std::vector<int64_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  shuffle_in_place(order, rng);
  if (mode == experiment::Batching::Random) return cut(order, 0, order.size(), batch_size);

  const size_t mega = static_cast<size_t>(batch_size * kMegaBatchFactor);
  std::vector<std::vector<int64_t>> batches;
  for (size_t m = 0; m < order.size(); m += mega) {
    const size_t end = std::min(order.size(), m + mega);
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(m), order.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });
    auto part = cut(order, m, end, batch_size);
    batches.insert(batches.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  shuffle_in_place(batches, rng);
  return batches;
}

int64_t padded_tokens(const std::vector<std::vector<int64_t>>& batches, const std::vector<int64_t>& lengths) {
  int64_t total = 0;
  for (const auto& b : batches) {
    int64_t longest = 0;
    for (auto i : b) longest = std::max(longest, lengths[i]);
    total += longest * static_cast<int64_t>(b.size());
  }
  return total;
}

}  // namespace hecto::train
