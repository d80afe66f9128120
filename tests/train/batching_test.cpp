#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "train/batching.h"

namespace hecto::train {
namespace {

std::vector<int64_t> mixed_lengths(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> lengths(n);
  for (auto& l : lengths) l = 3 + static_cast<int64_t>(rng() % 120);
  return lengths;
}

void expect_partition(const std::vector<std::vector<int64_t>>& batches, size_t n, int64_t bs) {
  std::multiset<int64_t> seen;
  for (const auto& b : batches) {
    EXPECT_GE(b.size(), 1u);
    EXPECT_LE(static_cast<int64_t>(b.size()), bs);
    seen.insert(b.begin(), b.end());
  }
  ASSERT_EQ(seen.size(), n);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen.count(static_cast<int64_t>(i)), 1u) << i;
  // As many steps as a plain loader: only the split's last partial batch is short.
  EXPECT_EQ(static_cast<int64_t>(batches.size()), (static_cast<int64_t>(n) + bs - 1) / bs);
}

TEST(EpochBatches, EveryExampleOnceInBothModes) {
  for (const auto mode : {experiment::Batching::Random, experiment::Batching::LengthGrouped}) {
    for (size_t n : {1u, 15u, 16u, 17u, 1000u, 2001u}) {
      std::mt19937_64 rng(7);
      expect_partition(epoch_batches(mixed_lengths(n, n), 16, mode, rng), n, 16);
    }
  }
}

TEST(EpochBatches, RandomKeepsTheTrainersFormerShuffle) {
  std::mt19937_64 rng(42), reference(42);
  const auto lengths = mixed_lengths(50, 1);
  const auto batches = epoch_batches(lengths, 8, experiment::Batching::Random, rng);
  std::vector<int64_t> order(50);
  for (int64_t i = 0; i < 50; ++i) order[i] = i;
  for (int64_t i = 49; i > 0; --i) std::swap(order[i], order[reference() % static_cast<uint64_t>(i + 1)]);
  std::vector<int64_t> flat;
  for (const auto& b : batches) flat.insert(flat.end(), b.begin(), b.end());
  EXPECT_EQ(flat, order);
}

TEST(EpochBatches, LengthGroupingCutsPaddedTokens) {
  const auto lengths = mixed_lengths(5000, 3);
  std::mt19937_64 a(0), b(0);
  const auto random = padded_tokens(epoch_batches(lengths, 16, experiment::Batching::Random, a), lengths);
  const auto grouped = padded_tokens(epoch_batches(lengths, 16, experiment::Batching::LengthGrouped, b), lengths);
  int64_t real = 0;
  for (auto l : lengths) real += l;
  EXPECT_GE(grouped, real);
  // Uniform lengths in [3, 122]: random batches of 16 pad to about 115; grouped ones to about
  // their own length (mean 62).
  EXPECT_LT(static_cast<double>(grouped), 1.1 * static_cast<double>(real));
  EXPECT_GT(static_cast<double>(random), 1.6 * static_cast<double>(real));
}

TEST(EpochBatches, SameSeedSameBatchesOtherSeedOtherOrder) {
  const auto lengths = mixed_lengths(500, 5);
  std::mt19937_64 a(9), b(9), c(10);
  const auto x = epoch_batches(lengths, 16, experiment::Batching::LengthGrouped, a);
  EXPECT_EQ(x, epoch_batches(lengths, 16, experiment::Batching::LengthGrouped, b));
  EXPECT_NE(x, epoch_batches(lengths, 16, experiment::Batching::LengthGrouped, c));
}

TEST(EpochBatches, RejectsABatchSizeBelowOne) {
  std::mt19937_64 rng(0);
  EXPECT_THROW(epoch_batches({1, 2}, 0, experiment::Batching::Random, rng), std::invalid_argument);
}

}  // namespace
}  // namespace hecto::train
