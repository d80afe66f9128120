#include "train/fused_adamw.h"

#include <gtest/gtest.h>

namespace hecto::train {
namespace {

// Two groups as the trainer builds them (decayed matrices, undecayed vectors), odd sizes so the
// parallel ranges do not divide evenly.
struct Model {
  std::vector<torch::Tensor> params;
  explicit Model(uint64_t seed) {
    torch::manual_seed(seed);
    params = {torch::randn({300, 257}).requires_grad_(), torch::randn({7}).requires_grad_(),
              torch::randn({40001}).requires_grad_()};
  }
  torch::optim::AdamW optimiser() const {
    auto decayed = std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    auto plain = std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(3e-4).weight_decay(0.0));
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<torch::Tensor>{params[0]}, std::move(decayed));
    groups.emplace_back(std::vector<torch::Tensor>{params[1], params[2]}, std::move(plain));
    return torch::optim::AdamW(std::move(groups), torch::optim::AdamWOptions(1e-3));
  }
  void set_gradients(uint64_t step) {
    torch::manual_seed(1000 + step);
    for (auto& p : params) p.mutable_grad() = torch::randn_like(p) * static_cast<double>(step + 1);
  }
};

void expect_close(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::allclose(a[i], b[i], /*rtol=*/1e-6, /*atol=*/1e-7))
        << "parameter " << i << " differs by " << (a[i] - b[i]).abs().max().item<double>();
}

TEST(FusedAdamW, TakesTheSameStepsAsLibTorchsAdamW) {
  Model reference(0), fused(0);
  auto reference_opt = reference.optimiser();
  auto fused_opt = fused.optimiser();
  ASSERT_TRUE(fused_adamw_applies(fused_opt));
  for (uint64_t step = 0; step < 6; ++step) {
    reference.set_gradients(step);
    fused.set_gradients(step);
    reference_opt.step();
    fused_adamw_step(fused_opt);
  }
  expect_close(reference.params, fused.params);
  // The moved parameters really moved: equality above is not of two untouched copies.
  EXPECT_FALSE(torch::allclose(reference.params[0], Model(0).params[0]));
  for (const auto& p : fused.params) {
    const auto& s = static_cast<torch::optim::AdamWParamState&>(
        *fused_opt.state().at(c10::guts::to_string(p.unsafeGetTensorImpl())));
    EXPECT_EQ(s.step(), 6);
  }
}

TEST(FusedAdamW, ContinuesFromLibTorchsStateAndBack) {
  Model reference(1), mixed(1);
  auto reference_opt = reference.optimiser();
  auto mixed_opt = mixed.optimiser();
  for (uint64_t step = 0; step < 4; ++step) {
    reference.set_gradients(step);
    mixed.set_gradients(step);
    reference_opt.step();
    step % 2 ? fused_adamw_step(mixed_opt) : (void)mixed_opt.step();
  }
  expect_close(reference.params, mixed.params);
}

TEST(FusedAdamW, ClippingInsideTheStepMatchesClipGradNormThenStep) {
  Model reference(5), fused(5);
  auto reference_opt = reference.optimiser();
  auto fused_opt = fused.optimiser();
  for (uint64_t step = 0; step < 3; ++step) {
    reference.set_gradients(step);
    fused.set_gradients(step);
    const double factor = clip_factor(fused.params, 1.0);
    torch::nn::utils::clip_grad_norm_(reference.params, 1.0);
    EXPECT_LT(factor, 0.01);  // random gradients of ~400 elements' norm: clipping really bites
    reference_opt.step();
    fused_adamw_step(fused_opt, factor);
  }
  expect_close(reference.params, fused.params);
  EXPECT_DOUBLE_EQ(clip_factor(fused.params, 1e9), 1.0);  // never scales up
}

TEST(FusedAdamW, ParametersWithoutGradientAreLeftAlone) {
  Model reference(2), fused(2);
  auto reference_opt = reference.optimiser();
  auto fused_opt = fused.optimiser();
  reference.set_gradients(0);
  fused.set_gradients(0);
  reference.params[1].mutable_grad() = torch::Tensor();
  fused.params[1].mutable_grad() = torch::Tensor();
  reference_opt.step();
  fused_adamw_step(fused_opt);
  expect_close(reference.params, fused.params);
  EXPECT_TRUE(torch::equal(fused.params[1], Model(2).params[1]));
}

TEST(FusedAdamW, FallsBackToLibTorchForWhatItDoesNotFuse) {
  Model strided(3), reference(3);
  strided.params[0] = torch::randn({257, 300}).t().requires_grad_();  // not contiguous
  reference.params[0] = strided.params[0].detach().clone().requires_grad_();
  auto strided_opt = strided.optimiser();
  auto reference_opt = reference.optimiser();
  strided.set_gradients(0);
  reference.set_gradients(0);
  EXPECT_FALSE(fused_adamw_applies(strided_opt));
  fused_adamw_step(strided_opt);
  reference_opt.step();
  expect_close(reference.params, strided.params);

  Model amsgrad(4);
  auto amsgrad_opt = amsgrad.optimiser();
  static_cast<torch::optim::AdamWOptions&>(amsgrad_opt.param_groups()[0].options()).amsgrad(true);
  EXPECT_FALSE(fused_adamw_applies(amsgrad_opt));
}

}  // namespace
}  // namespace hecto::train
