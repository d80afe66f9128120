#include "model/dropout.h"

#include <gtest/gtest.h>

namespace hecto::model {
namespace {

torch::Tensor mask_of(const torch::Tensor& x, double p, uint64_t seed) {
  torch::manual_seed(seed);
  return model::dropout(x, p, /*train=*/true);
}

TEST(Dropout, DropsTheRequestedShareAndScalesTheRest) {
  const auto x = torch::ones({1000, 1000});
  const auto y = mask_of(x, 0.1, 0);
  const double dropped = (y == 0).to(torch::kDouble).mean().item<double>();
  EXPECT_NEAR(dropped, 0.1, 0.002);  // 1M draws: the standard error is 0.0003
  const auto kept = y.masked_select(y != 0);
  EXPECT_TRUE(torch::allclose(kept, torch::full_like(kept, 1.0 / 0.9)));
}

TEST(Dropout, TheSeedFixesTheMaskAndTheThreadCountDoesNot) {
  const auto x = torch::randn({3, 50, 257});
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const auto one_thread = mask_of(x, 0.1, 7);
  at::set_num_threads(2);
  const auto two_threads = mask_of(x, 0.1, 7);
  at::set_num_threads(threads);
  EXPECT_TRUE(torch::equal(one_thread, two_threads));
  EXPECT_FALSE(torch::equal(one_thread, mask_of(x, 0.1, 8)));
  // Consecutive calls draw different masks.
  torch::manual_seed(7);
  const auto first = model::dropout(x, 0.1, true);
  EXPECT_FALSE(torch::equal(first, model::dropout(x, 0.1, true)));
}

TEST(Dropout, GradientIsTheSameMaskAsTheValue) {
  const auto x = torch::randn({16, 40}).requires_grad_();
  const auto y = mask_of(x, 0.25, 3);
  y.sum().backward();
  const auto keep = (y.detach() != 0).to(torch::kFloat) / 0.75;
  EXPECT_TRUE(torch::allclose(x.grad(), keep));
  EXPECT_TRUE(torch::allclose(y.detach(), x.detach() * keep));
}

TEST(Dropout, IdentityOutOfTrainingOrAtZero) {
  const auto x = torch::randn({4, 5});
  EXPECT_TRUE(torch::equal(model::dropout(x, 0.1, /*train=*/false), x));
  EXPECT_TRUE(torch::equal(model::dropout(x, 0.0, true), x));
  EXPECT_EQ(model::dropout(x, 1.0, true).abs().sum().item<double>(), 0.0);
}

TEST(Dropout, KeepsBf16InBf16) {
  const auto x = torch::ones({64, 64}, torch::kBFloat16);
  const auto y = mask_of(x, 0.5, 1);
  EXPECT_EQ(y.scalar_type(), torch::kBFloat16);
  EXPECT_NEAR((y == 0).to(torch::kDouble).mean().item<double>(), 0.5, 0.05);
}

}  // namespace
}  // namespace hecto::model
