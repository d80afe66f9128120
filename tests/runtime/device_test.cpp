// Device and numerics choices: spellings, what a CPU-only LibTorch answers for CUDA, and the
// bf16 autocast scope restoring what was there before it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "common/error.h"
#include "runtime/device.h"
#include "runtime/precision.h"
#include "runtime/torch_compat.h"

using namespace hecto::runtime;

TEST(Device, SpellingsAreCheckedAndAutoFallsBackToTheCpu) {
  EXPECT_EQ(resolve_device("cpu").kind, "cpu");
  EXPECT_FALSE(resolve_device("cpu").name.empty());
  const auto automatic = resolve_device("auto");
  EXPECT_EQ(automatic.is_cuda(), cuda_device_count() > 0);
  EXPECT_THROW(resolve_device("tpu"), hecto::common::InputError);
  EXPECT_THROW(resolve_device("cuda:x"), hecto::common::InputError);
  EXPECT_THROW(resolve_device("cuda:-1"), hecto::common::InputError);
  if (cuda_device_count() == 0) {
    try {
      resolve_device("cuda");
      FAIL() << "cuda accepted without a GPU";
    } catch (const hecto::common::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--device cpu"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(resolve_device("cuda:" + std::to_string(cuda_device_count())), hecto::common::InputError);
}

TEST(Numerics, AutoIsBf16OnlyWhereTheDeviceHasItNatively) {
  const auto cpu = resolve_device("cpu");
  EXPECT_EQ(resolve_numerics("auto", cpu).bf16, has_native_bf16(cpu));
  EXPECT_FALSE(resolve_numerics("fp32", cpu).bf16);
  EXPECT_TRUE(resolve_numerics("bf16", cpu).bf16);
  EXPECT_EQ(resolve_numerics("bf16", cpu).name(), "bf16");
  EXPECT_THROW(resolve_numerics("fp16", cpu), hecto::common::InputError);
}

TEST(Numerics, AutocastScopeComputesMatmulsInBf16AndRestoresTheState) {
  const auto cpu = resolve_device("cpu");
  const auto a = torch::randn({8, 8});
  ASSERT_FALSE(compat::autocast_enabled(c10::DeviceType::CPU));
  {
    const AutocastScope scope(cpu, {true});
    EXPECT_TRUE(compat::autocast_enabled(c10::DeviceType::CPU));
    EXPECT_EQ(torch::mm(a, a).scalar_type(), torch::kBFloat16);
  }
  EXPECT_FALSE(compat::autocast_enabled(c10::DeviceType::CPU));
  EXPECT_EQ(torch::mm(a, a).scalar_type(), torch::kFloat);
  {
    const AutocastScope off(cpu, {false});
    EXPECT_EQ(torch::mm(a, a).scalar_type(), torch::kFloat);
  }
}
