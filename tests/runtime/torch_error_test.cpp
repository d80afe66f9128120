// A torch error reaches the user as one line; its backtrace stays out of it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>

#include "runtime/torch_error.h"

using hecto::runtime::one_line;

TEST(TorchError, ATorchErrorBecomesOneLineWithoutItsBacktrace) {
  try {
    (void)torch::ones({2, 3}).matmul(torch::ones({4, 5}));
    FAIL() << "the shapes do not multiply";
  } catch (const c10::Error& e) {
    ASSERT_NE(std::string(e.what()).find('\n'), std::string::npos) << "torch's own text has several lines";
    const std::string line = one_line(e);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_EQ(line.find("frame #"), std::string::npos) << line;
    EXPECT_EQ(line.find("Exception raised from"), std::string::npos) << line;
    EXPECT_NE(line.find("LibTorch: "), std::string::npos) << line;
    EXPECT_NE(line.find("cannot be multiplied"), std::string::npos) << line;
  }
}

TEST(TorchError, OtherErrorsKeepTheirTextWithLinesJoined) {
  EXPECT_EQ(one_line(std::runtime_error("disk full")), "disk full");
  EXPECT_EQ(one_line(std::runtime_error("first\n  second\n")), "first; second");
}
