#include "model/mlm.h"

#include "common/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include "tests/model/packed_batch.h"

namespace hecto::model {
namespace {

using namespace hecto::testing;  // the packed batch and its token ids

TEST(MaskTokens, ProportionsFollowBert) {
  auto b = make_packed_batch(256, 128, 1);  // ~24k maskable positions
  auto gen = at::make_generator<at::CPUGeneratorImpl>(7);
  auto m = mask_tokens(b.ids, b.special, kVocab, kMask, gen, 0.15);

  const auto maskable = b.special.logical_not().sum().item<int64_t>();
  const auto chosen = m.labels != kIgnoreLabel;
  const auto n_chosen = chosen.sum().item<int64_t>();
  EXPECT_NEAR(static_cast<double>(n_chosen) / maskable, 0.15, 0.01);

  const auto as_mask = chosen.logical_and(m.inputs == kMask).sum().item<int64_t>();
  const auto kept = chosen.logical_and(m.inputs == b.ids).sum().item<int64_t>();
  const auto replaced = n_chosen - as_mask - kept;
  EXPECT_NEAR(static_cast<double>(as_mask) / n_chosen, 0.80, 0.02);
  // A random replacement can draw the original id (1 in 1000), so "kept" absorbs a hair of it.
  EXPECT_NEAR(static_cast<double>(kept) / n_chosen, 0.10, 0.015);
  EXPECT_NEAR(static_cast<double>(replaced) / n_chosen, 0.10, 0.015);

  // Labels carry the original ids exactly where chosen; unchosen positions are untouched.
  EXPECT_TRUE(torch::equal(m.labels.masked_select(chosen), b.ids.masked_select(chosen)));
  EXPECT_TRUE(torch::equal(m.inputs.masked_select(chosen.logical_not()), b.ids.masked_select(chosen.logical_not())));
  EXPECT_TRUE((m.inputs >= 0).all().item<bool>());
  EXPECT_TRUE((m.inputs < kVocab).all().item<bool>());
}

TEST(MaskTokens, SpecialTokensAndPaddingAreNeverChosen) {
  auto b = make_packed_batch(64, 64, 2);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  auto m = mask_tokens(b.ids, b.special, kVocab, kMask, gen, 0.9);  // high rate: any leak would show
  EXPECT_TRUE((m.labels.masked_select(b.special) == kIgnoreLabel).all().item<bool>());
  EXPECT_TRUE(torch::equal(m.inputs.masked_select(b.special), b.ids.masked_select(b.special)));
  EXPECT_GT((m.labels != kIgnoreLabel).sum().item<int64_t>(), 0);
}

TEST(MaskTokens, SameSeedSameMaskDifferentSeedDifferentMask) {
  auto b = make_packed_batch(8, 64, 3);
  auto g1 = at::make_generator<at::CPUGeneratorImpl>(11);
  auto g2 = at::make_generator<at::CPUGeneratorImpl>(11);
  auto g3 = at::make_generator<at::CPUGeneratorImpl>(12);
  auto a = mask_tokens(b.ids, b.special, kVocab, kMask, g1);
  auto c = mask_tokens(b.ids, b.special, kVocab, kMask, g2);
  auto d = mask_tokens(b.ids, b.special, kVocab, kMask, g3);
  EXPECT_TRUE(torch::equal(a.inputs, c.inputs));
  EXPECT_TRUE(torch::equal(a.labels, c.labels));
  EXPECT_FALSE(torch::equal(a.labels, d.labels));
}

TEST(MlmHead, TiedDecoderShapesAndHfNames) {
  MlmHead head(16, 50);
  head->init_weights(0);
  auto emb = torch::randn({50, 16}, torch::requires_grad());
  auto logits = head->forward(torch::randn({4, 7, 16}), emb);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{4, 7, 50}));
  logits.sum().backward();
  ASSERT_TRUE(emb.grad().defined());  // the decoder really uses the shared embedding matrix
  EXPECT_GT(emb.grad().abs().sum().item<double>(), 0.0);

  auto state = head->hf_state();
  for (const char* name : {"vocab_transform.weight", "vocab_transform.bias", "vocab_layer_norm.weight",
                           "vocab_layer_norm.bias", "vocab_projector.bias"})
    EXPECT_EQ(state.count(name), 1u) << name;
  EXPECT_TRUE(torch::equal(state.at("vocab_layer_norm.weight"), torch::ones({16})));
}

TEST(MlmHead, LoadStateRoundTripsAndRejectsMisShaped) {
  MlmHead a(8, 20), b(8, 20);
  a->init_weights(1);
  b->init_weights(2);
  {
    torch::NoGradGuard g;
    a->hf_state().at("vocab_projector.bias").uniform_();
  }
  b->load_state(a->hf_state(), "mem");
  for (const auto& [name, t] : a->hf_state()) EXPECT_TRUE(torch::equal(t, b->hf_state().at(name))) << name;

  MlmHead wrong(8, 21);
  EXPECT_THROW(wrong->load_state(a->hf_state(), "mem"), common::InputError);
}

}  // namespace
}  // namespace hecto::model
