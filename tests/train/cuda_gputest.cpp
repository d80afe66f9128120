// CUDA-only (label gpu, `make test-gpu`): a whole cell on the GPU against the same cell on the
// CPU, bf16 autocast on the GPU, and the device recorded with the result. Skipped, saying why,
// where no GPU is visible.
#include <gtest/gtest.h>

#include "runtime/device.h"
#include "train/trainer.h"
#include "tests/testing.h"
#include "tests/train/tiny_cell.h"

namespace {

using hecto::testing::tiny_cell;

#define HECTO_REQUIRE_CUDA()                                                                               \
  if (hecto::runtime::cuda_device_count() == 0)                                                           \
  GTEST_SKIP() << "no CUDA device visible (this build's LibTorch has no CUDA, or no GPU): see README, GPU " \
                  "set-up"

hecto::results::CellResult run_on(const std::string& device, const hecto::experiment::Config& c) {
  hecto::train::TrainEnvironment env;
  env.data_dir = hecto::testing::shared_data_dir().string();
  env.device = hecto::runtime::resolve_device(device);
  return hecto::train::train_and_evaluate(c, env);
}

}  // namespace

TEST(Cuda, ACellOnTheGpuMatchesTheCpuWithinTolerance) {
  HECTO_REQUIRE_CUDA();
  HECTO_REQUIRE_SHARED_DATA();
  const auto cpu = run_on("cpu", tiny_cell());
  const auto gpu = run_on("cuda", tiny_cell());
  EXPECT_EQ(gpu.provenance.device, "cuda");
  EXPECT_FALSE(gpu.provenance.device_name.empty());
  EXPECT_FALSE(gpu.provenance.cuda_runtime.empty());
  // Different kernels sum in different orders: the same cell lands within a few points.
  EXPECT_NEAR(gpu.metrics.at("eval").at("accuracy"), cpu.metrics.at("eval").at("accuracy"), 0.05);
  EXPECT_NEAR(gpu.epochs.back().train_loss, cpu.epochs.back().train_loss, 0.05);
}

TEST(Cuda, Bf16AutocastTrainsOnTheGpu) {
  HECTO_REQUIRE_CUDA();
  HECTO_REQUIRE_SHARED_DATA();
  auto c = tiny_cell();
  c.train.precision = hecto::experiment::Precision::Bf16;
  c.encoder.mode = hecto::experiment::EncoderMode::Frozen;  // the feature cache on the device too
  const auto r = run_on("cuda", c);
  EXPECT_EQ(r.provenance.precision, "bf16");
  EXPECT_GT(r.metrics.at("eval").at("accuracy"), 0.3);
  EXPECT_TRUE(std::isfinite(r.epochs.back().train_loss));
}
