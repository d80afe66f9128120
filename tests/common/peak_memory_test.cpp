#include "common/peak_memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace hecto::common {
namespace {

constexpr int64_t MiB = int64_t{1} << 20;

// Touches `bytes` of fresh memory, then frees it: the peak rises, the resident size falls back.
void touch_and_free(int64_t bytes) {
  std::unique_ptr<char[]> block(new char[bytes]);
  std::memset(block.get(), 1, bytes);
  volatile char sink = block[bytes - 1];
  (void)sink;
}

TEST(PeakMemory, SeesAnAllocationAndForgetsItAfterAReset) {
  const int64_t before = peak_rss_bytes();
  ASSERT_GT(before, 0);
  touch_and_free(256 * MiB);
  const int64_t with_block = peak_rss_bytes();
  EXPECT_GE(with_block, before + 200 * MiB);
  if (!reset_peak_rss()) GTEST_SKIP() << "this kernel refuses /proc/self/clear_refs: the peak cannot be reset";
  // The block was freed (glibc returns large blocks to the kernel at once), so the new peak is
  // the resident size now, well below the old one.
  EXPECT_LT(peak_rss_bytes(), with_block - 200 * MiB);
}

}  // namespace
}  // namespace hecto::common
