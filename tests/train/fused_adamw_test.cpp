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

// The same model twice, each with its own optimiser; `reference` is always stepped by LibTorch.
struct Twins {
  Model reference, other;
  torch::optim::AdamW reference_opt, other_opt;
  explicit Twins(uint64_t seed)
      : reference(seed), other(seed), reference_opt(reference.optimiser()), other_opt(other.optimiser()) {}
  void set_gradients(uint64_t step) {
    reference.set_gradients(step);
    other.set_gradients(step);
  }
};

void expect_close(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(torch::allclose(a[i], b[i], /*rtol=*/1e-6, /*atol=*/1e-7))
        << "parameter " << i << " differs by " << (a[i] - b[i]).abs().max().item<double>();
}

TEST(FusedAdamW, TakesTheSameStepsAsLibTorchsAdamW) {
  Twins t(0);
  ASSERT_TRUE(fused_adamw_applies(t.other_opt));
  for (uint64_t step = 0; step < 6; ++step) {
    t.set_gradients(step);
    t.reference_opt.step();
    fused_adamw_step(t.other_opt);
  }
  expect_close(t.reference.params, t.other.params);
  // The moved parameters really moved: equality above is not of two untouched copies.
  EXPECT_FALSE(torch::allclose(t.reference.params[0], Model(0).params[0]));
  for (const auto& p : t.other.params) {
    const auto& s = static_cast<torch::optim::AdamWParamState&>(
        *t.other_opt.state().at(c10::guts::to_string(p.unsafeGetTensorImpl())));
    EXPECT_EQ(s.step(), 6);
  }
}

TEST(FusedAdamW, ContinuesFromLibTorchsStateAndBack) {
  Twins t(1);
  for (uint64_t step = 0; step < 4; ++step) {
    t.set_gradients(step);
    t.reference_opt.step();
    step % 2 ? fused_adamw_step(t.other_opt) : (void)t.other_opt.step();
  }
  expect_close(t.reference.params, t.other.params);
}

TEST(FusedAdamW, ClippingInsideTheStepMatchesClipGradNormThenStep) {
  Twins t(5);
  for (uint64_t step = 0; step < 3; ++step) {
    t.set_gradients(step);
    const double factor = clip_factor(t.other.params, 1.0);
    torch::nn::utils::clip_grad_norm_(t.reference.params, 1.0);
    EXPECT_LT(factor, 0.01);  // random gradients of ~400 elements' norm: clipping really bites
    t.reference_opt.step();
    fused_adamw_step(t.other_opt, factor);
  }
  expect_close(t.reference.params, t.other.params);
  EXPECT_DOUBLE_EQ(clip_factor(t.other.params, 1e9), 1.0);  // never scales up
}

TEST(FusedAdamW, ParametersWithoutGradientAreLeftAlone) {
  Twins t(2);
  t.set_gradients(0);
  t.reference.params[1].mutable_grad() = torch::Tensor();
  t.other.params[1].mutable_grad() = torch::Tensor();
  t.reference_opt.step();
  fused_adamw_step(t.other_opt);
  expect_close(t.reference.params, t.other.params);
  EXPECT_TRUE(torch::equal(t.other.params[1], Model(2).params[1]));
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
