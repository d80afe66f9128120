#include "model/batch.h"

#include <gtest/gtest.h>

#include "common/error.h"

using hecto::model::pad_batch;
using hecto::text::Encoding;

namespace {
Encoding enc(std::vector<int32_t> ids, std::vector<int8_t> types) { return Encoding{std::move(ids), std::move(types)}; }
}  // namespace

TEST(PadBatch, PadsToTheLongestInTheBatch) {
  const Encoding a = enc({101, 7, 102}, {0, 0, 0});
  const Encoding b = enc({101, 5, 102, 6, 102}, {0, 0, 0, 1, 1});
  const auto batch = pad_batch({&a, &b}, 0);
  ASSERT_EQ(batch.ids.sizes(), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(batch.ids.scalar_type(), torch::kInt64);
  EXPECT_EQ(batch.mask.scalar_type(), torch::kInt64);
  EXPECT_EQ(batch.type_ids.scalar_type(), torch::kInt64);
  EXPECT_TRUE(batch.ids.equal(torch::tensor({101, 7, 102, 0, 0, 101, 5, 102, 6, 102}, torch::kInt64).view({2, 5})));
  EXPECT_TRUE(batch.mask.equal(torch::tensor({1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, torch::kInt64).view({2, 5})));
  EXPECT_TRUE(batch.type_ids.equal(torch::tensor({0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, torch::kInt64).view({2, 5})));
}

TEST(PadBatch, PadToFixesTheWidthWithThePadId) {
  const Encoding a = enc({101, 102}, {0, 0});
  const auto batch = pad_batch({&a}, 9, 4);
  EXPECT_TRUE(batch.ids.equal(torch::tensor({101, 102, 9, 9}, torch::kInt64).view({1, 4})));
  EXPECT_TRUE(batch.mask.equal(torch::tensor({1, 1, 0, 0}, torch::kInt64).view({1, 4})));
}

TEST(PadBatch, PadToShorterThanTheLongestThrows) {
  const Encoding a = enc({101, 5, 6, 102}, {0, 0, 0, 0});
  EXPECT_THROW(pad_batch({&a}, 0, 3), hecto::common::InputError);
  EXPECT_NO_THROW(pad_batch({&a}, 0, 4));
}

TEST(PadBatch, EmptyBatchAndMismatchedTypeIds) {
  const auto empty = pad_batch({}, 0);
  EXPECT_EQ(empty.ids.sizes(), (std::vector<int64_t>{0, 0}));
  const Encoding bad = enc({101, 102}, {0});
  EXPECT_THROW(pad_batch({&bad}, 0), hecto::common::RunError);
  EXPECT_THROW(pad_batch({nullptr}, 0), hecto::common::RunError);
}
