#include "model/rtd.h"

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include "tests/model/packed_batch.h"

#include "common/error.h"

namespace hecto::model {
namespace {

using namespace hecto::testing;  // the packed batch and its token ids

torch::Tensor uniform_words() {
  auto w = torch::ones({kVocab});
  w.narrow(0, 0, 10).zero_();  // no special token is ever drawn
  return w;
}

TEST(ReplaceTokens, ReplacesTheRateAskedAndLabelsExactlyTheChangedTokens) {
  const auto b = make_packed_batch(256, 128, 1);  // about 24k replaceable positions
  auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
  const auto r = replace_tokens(b.ids, b.special, uniform_words(), gen, 0.15);
  const auto replaceable = b.special.logical_not().sum().item<double>();
  const auto changed = (r.inputs != b.ids);
  // 15% chosen, of which 1 in 990 draws the original word back and stays labelled original.
  EXPECT_NEAR(changed.sum().item<double>() / replaceable, 0.15 * (1 - 1.0 / 990), 0.01);
  EXPECT_TRUE(torch::equal(r.labels, changed.to(torch::kFloat32)));
  EXPECT_EQ(r.labels.scalar_type(), torch::kFloat32);
  EXPECT_TRUE((r.inputs >= 10).logical_or(b.special).all().item<bool>());
}

TEST(ReplaceTokens, SpecialTokensAndPaddingAreNeverReplaced) {
  const auto b = make_packed_batch(64, 64, 2);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  const auto r = replace_tokens(b.ids, b.special, uniform_words(), gen, 0.9);  // high rate: any leak would show
  EXPECT_TRUE(torch::equal(r.inputs.masked_select(b.special), b.ids.masked_select(b.special)));
  EXPECT_TRUE((r.labels.masked_select(b.special) == 0).all().item<bool>());
  EXPECT_GT(r.labels.sum().item<double>(), 0);
}

TEST(ReplaceTokens, DrawsFromTheUnigramWeights) {
  const auto b = make_packed_batch(32, 64, 4);
  auto only_42 = torch::zeros({kVocab});
  only_42[42] = 5;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
  const auto r = replace_tokens(b.ids, b.special, only_42, gen, 0.5);
  const auto drawn = r.inputs != b.ids;
  ASSERT_GT(drawn.sum().item<int64_t>(), 0);
  EXPECT_TRUE((r.inputs.masked_select(drawn) == 42).all().item<bool>());
  // A 42 that was already there and was drawn again is not a replacement: its label stays 0.
  EXPECT_TRUE((r.labels.masked_select(b.ids == 42) == 0).all().item<bool>());
}

TEST(ReplaceTokens, TheSameSeedGivesTheSameCorruption) {
  const auto b = make_packed_batch(16, 32, 6);
  auto g1 = at::make_generator<at::CPUGeneratorImpl>(11);
  auto g2 = at::make_generator<at::CPUGeneratorImpl>(11);
  auto g3 = at::make_generator<at::CPUGeneratorImpl>(12);
  const auto a = replace_tokens(b.ids, b.special, uniform_words(), g1, 0.3);
  EXPECT_TRUE(torch::equal(a.inputs, replace_tokens(b.ids, b.special, uniform_words(), g2, 0.3).inputs));
  EXPECT_FALSE(torch::equal(a.inputs, replace_tokens(b.ids, b.special, uniform_words(), g3, 0.3).inputs));
}

TEST(UnigramWeights, CountsTokensAndLeavesTheExcludedOut) {
  const auto ids = torch::tensor(std::vector<int64_t>{kCls, 5, 6, 5, kSep, kCls, 5, kSep, kPad, kPad}).reshape({2, 5});
  const auto w = unigram_weights(ids, 8, {kPad, kCls, kSep, kMask});
  EXPECT_TRUE(torch::equal(w, torch::tensor({0.f, 0.f, 0.f, 0.f, 0.f, 3.f, 1.f, 0.f})));
}

TEST(RtdHead, OneLogitPerTokenUnderElectrasNames) {
  RtdHead head(16);
  head->init_weights(0);
  EXPECT_EQ(head->forward(torch::randn({3, 7, 16})).sizes(), (std::vector<int64_t>{3, 7}));
  const auto state = head->hf_state();
  for (const char* name :
       {"discriminator_predictions.dense.weight", "discriminator_predictions.dense.bias",
        "discriminator_predictions.dense_prediction.weight", "discriminator_predictions.dense_prediction.bias"})
    EXPECT_EQ(state.count(name), 1u) << name;

  RtdHead other(16);
  other->init_weights(1);
  other->load_state(state, "test");
  for (const auto& [name, t] : other->hf_state()) EXPECT_TRUE(torch::equal(t, state.at(name))) << name;

  auto missing = state;
  missing.erase("discriminator_predictions.dense.bias");
  EXPECT_THROW(other->load_state(missing, "ckpt.safetensors"), common::InputError);
  RtdHead wider(32);
  EXPECT_THROW(wider->load_state(state, "ckpt.safetensors"), common::InputError);
}

}  // namespace
}  // namespace hecto::model
