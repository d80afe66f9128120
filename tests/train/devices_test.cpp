// Device-agnostic: one training step and one gathered batch on every device this build can use
// (the CPU always; each visible GPU with a CUDA LibTorch), against the CPU's values.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/encoder.h"
#include "model/hecto_head.h"
#include "runtime/device.h"
#include "train/feature_cache.h"

namespace {

std::vector<torch::Device> available_devices() {
  std::vector<torch::Device> out{torch::kCPU};
  for (int i = 0; i < hecto::runtime::cuda_device_count(); ++i)
    out.emplace_back(torch::kCUDA, static_cast<c10::DeviceIndex>(i));
  return out;
}

struct Step {
  torch::Tensor logits, loss;
};

Step one_step(const torch::Device& device) {
  hecto::model::EncoderConfig ec;
  ec.vocab_size = 64;
  ec.dim = 16;
  ec.n_layers = 1;
  ec.n_heads = 2;
  ec.hidden_dim = 32;
  ec.max_position_embeddings = 16;
  hecto::model::Encoder encoder(ec);
  encoder->init_weights(1);
  encoder->eval();  // no dropout: the devices must agree
  hecto::model::HectoConfig hc;
  hc.input_dim = 16;
  hc.proj_dim = 8;
  hc.gate_hidden = 8;
  hc.expert_hidden = 8;
  torch::manual_seed(2);
  hecto::model::HectoHead head(hc);
  encoder->to(device);
  head->to(device);
  const auto ids = torch::tensor(std::vector<int64_t>{1, 5, 9, 2, 1, 7, 2, 0}).view({2, 4}).to(device);
  const auto mask = (ids != 0).to(torch::kLong);
  const auto out = head->forward(encoder->forward(ids, mask), mask);
  const auto loss = hecto::model::hecto_loss(out, torch::tensor(std::vector<int64_t>{1, 3}).to(device), hc);
  loss.total.backward();
  return {out.logits.detach().cpu(), loss.total.detach().cpu()};
}

}  // namespace

TEST(Devices, ATrainingStepAgreesWithTheCpuOnEveryDevice) {
  const Step cpu = one_step(torch::kCPU);
  for (const auto& device : available_devices()) {
    SCOPED_TRACE(device.str());
    const Step s = one_step(device);
    EXPECT_TRUE(torch::allclose(s.logits, cpu.logits, 1e-4, 1e-4)) << s.logits << cpu.logits;
    EXPECT_NEAR(s.loss.item<double>(), cpu.loss.item<double>(), 1e-4);
  }
}

TEST(Devices, CachedFeaturesGatherIntoTheSameBatchOnEveryDevice) {
  const auto set = hecto::train::make_feature_set(torch::randn({7, 4}).to(torch::kFloat16), {0, 3, 4, 7});
  const auto cpu = hecto::train::gather_features(set, {2, 0, 1});
  EXPECT_EQ(cpu.hidden.sizes(), (torch::IntArrayRef{3, 3, 4}));
  EXPECT_EQ(cpu.mask.sum().item<int64_t>(), 7);
  EXPECT_EQ(cpu.hidden[2][1].abs().sum().item<double>(), 0.0);  // example 1 has one token: the rest is zero padding
  for (const auto& device : available_devices()) {
    SCOPED_TRACE(device.str());
    const auto moved = hecto::train::gather_features(set.to(device), {2, 0, 1});
    EXPECT_EQ(moved.hidden.device(), device);
    EXPECT_TRUE(torch::equal(moved.hidden.cpu(), cpu.hidden));
    EXPECT_TRUE(torch::equal(moved.mask.cpu(), cpu.mask));
  }
}
