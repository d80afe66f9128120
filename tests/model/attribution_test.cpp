// Integrated gradients of the gate: complete (scores sum to the logit's change), about the expert
// the head actually chose, one score per token, and neither module changed by computing them.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/attribution.h"

using namespace hecto::model;

namespace {
struct Tiny {
  Encoder encoder{nullptr};
  HectoHead head{nullptr};
  Tiny() {
    EncoderConfig c;
    c.vocab_size = 50;
    c.dim = 16;
    c.n_layers = 2;
    c.n_heads = 2;
    c.hidden_dim = 32;
    c.max_position_embeddings = 32;
    encoder = Encoder(c);
    encoder->init_weights(3);
    HectoConfig h;
    h.input_dim = 16;
    h.proj_dim = 8;
    h.gate_hidden = 8;
    h.expert_hidden = 8;
    h.n_outputs = 3;
    torch::manual_seed(4);
    head = HectoHead(h);
    {
      torch::NoGradGuard no_grad;  // a gate with an opinion: logits that move with the input
      for (auto& p : head->parameters()) p.mul_(6.0);
      for (auto& p : encoder->parameters()) p.mul_(4.0);
    }
  }
};
}  // namespace

TEST(GateAttribution, ScoresSumToTheLogitChangeForTheChosenExpert) {
  Tiny t;
  t.encoder->train();  // attribution runs in eval mode and restores the mode after
  const auto ids = torch::tensor(std::vector<int64_t>{1, 7, 12, 30, 5, 2});
  const auto a = gate_attribution(t.encoder, t.head, ids);
  ASSERT_EQ(a.scores.size(), 6u);
  EXPECT_LE(a.completeness_error(), 0.01) << "sum " << a.sum() << " delta " << a.logit - a.baseline_logit;
  EXPECT_GT(std::fabs(a.logit - a.baseline_logit), 1e-3);
  EXPECT_TRUE(t.encoder->is_training());
  t.encoder->eval();
  torch::NoGradGuard no_grad;
  const auto mask = torch::ones({1, 6}, torch::kLong);
  const auto out = t.head->forward(t.encoder->forward(ids.view({1, -1}), mask), mask);
  EXPECT_EQ(a.expert, out.chosen()[0].item<int64_t>());
  EXPECT_NEAR(a.logit, out.gate_logits[0][a.expert].item<double>(), 1e-4);
}

TEST(GateAttribution, AnotherInputGetsOtherScores) {
  Tiny t;
  const auto a = gate_attribution(t.encoder, t.head, torch::tensor(std::vector<int64_t>{1, 7, 12, 2}));
  const auto b = gate_attribution(t.encoder, t.head, torch::tensor(std::vector<int64_t>{1, 40, 12, 2}));
  EXPECT_NE(a.scores[1], b.scores[1]);
  EXPECT_LE(b.completeness_error(), 0.01);
}
