#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/error.h"
#include "model/hecto_head.h"
#include "runtime/runtime.h"

using namespace hecto::model;
using hecto::common::InputError;

namespace {

constexpr int kInput = 32;
constexpr ExpertKind F = ExpertKind::FFNN;
constexpr ExpertKind G = ExpertKind::GRU;
constexpr ExpertKind T = ExpertKind::Transformer;

HectoConfig small_config(std::vector<ExpertKind> experts, int top_k = 1, bool regression = false) {
  HectoConfig c;
  c.input_dim = kInput;
  c.proj_dim = 16;
  c.gate_hidden = 8;
  c.expert_hidden = 8;
  c.regression = regression;
  c.n_outputs = regression ? 1 : 4;
  c.experts = std::move(experts);
  c.top_k = top_k;
  return c;
}

// Right-padded batch: row i has lengths[i] valid tokens; padding holds noise that must not matter.
struct Batch {
  torch::Tensor hidden, mask;
};
Batch random_batch(const std::vector<int64_t>& lengths, int64_t tokens) {
  const auto b = static_cast<int64_t>(lengths.size());
  Batch batch{torch::randn({b, tokens, kInput}), torch::zeros({b, tokens}, torch::kInt64)};
  for (int64_t i = 0; i < b; ++i) batch.mask[i].narrow(0, 0, lengths[i]).fill_(1);
  return batch;
}

torch::Tensor param(HectoHead& head, const std::string& name) {
  auto params = head->named_parameters();
  auto* found = params.find(name);
  if (found == nullptr) throw std::runtime_error("no parameter " + name);
  return *found;
}

// Routes every sample to `expert` by making its gate bias overwhelm everything else.
void force_route(HectoHead& head, int64_t expert) {
  torch::NoGradGuard no_grad;
  auto bias = param(head, "gate.out.bias");
  bias.fill_(-50.0);
  bias[expert] = 50.0;
}

bool grad_is_zero_or_undefined(const torch::Tensor& p) {
  return !p.grad().defined() || p.grad().abs().max().item<double>() == 0.0;
}

std::string describe(const HectoConfig& c) {
  std::string s;
  for (auto k : c.experts) s += to_string(k) + "+";
  return s + "top" + std::to_string(c.top_k) + (c.regression ? "/regression" : "/classification");
}

}  // namespace

TEST(HectoHead, ExpertKindNamesRoundTripAndRejectUnknown) {
  EXPECT_EQ(expert_kind_from_string(to_string(F)), F);
  EXPECT_EQ(expert_kind_from_string(to_string(G)), G);
  EXPECT_EQ(to_string(G), "gru");
  EXPECT_EQ(expert_kind_from_string("transformer"), T);
  EXPECT_THROW(expert_kind_from_string("lstm"), InputError);
}

TEST(HectoHead, RejectsTopKLargerThanExpertCountWithAClearMessage) {
  try {
    HectoHead head(small_config({F, G}, 3));
    FAIL() << "top_k 3 with 2 experts was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("top_k"), std::string::npos) << e.what();
    EXPECT_NE(e.expected().find("number of experts"), std::string::npos) << e.expected();
  }
  EXPECT_THROW(HectoHead(small_config({F, G}, 0)), InputError);
  EXPECT_THROW(HectoHead(small_config({}, 1)), InputError);
  auto bad_regression = small_config({F, G}, 1, true);
  bad_regression.n_outputs = 3;
  EXPECT_THROW(HectoHead{bad_regression}, InputError);
}

TEST(HectoHead, RejectsHiddenStatesOfTheWrongShape) {
  HectoHead head(small_config({F, G}));
  EXPECT_THROW(head->forward(torch::randn({2, 5, kInput + 1}), torch::ones({2, 5})), InputError);
  EXPECT_THROW(head->forward(torch::randn({2, 5, kInput}), torch::ones({2, 4})), InputError);
}

TEST(HectoHead, ShapesForEveryLayoutTaskAndMode) {
  torch::manual_seed(1);
  const std::vector<std::vector<ExpertKind>> layouts{{F, G}, {F, F}, {G, G}, {F, G, F, G}, {F, T}, {G, T}};
  const int64_t b = 5, t = 7;
  for (const auto& layout : layouts)
    for (int top_k : {1, 2})
      for (bool regression : {false, true})
        for (bool training : {true, false}) {
          auto config = small_config(layout, top_k, regression);
          SCOPED_TRACE(describe(config) + (training ? " train" : " eval"));
          HectoHead head(config);
          head->train(training);
          auto batch = random_batch({7, 1, 4, 0, 2}, t);
          auto out = head->forward(batch.hidden, batch.mask);
          const auto e = static_cast<int64_t>(layout.size());
          if (regression)
            EXPECT_EQ(out.logits.sizes(), torch::IntArrayRef({b}));
          else
            EXPECT_EQ(out.logits.sizes(), torch::IntArrayRef({b, 4}));
          EXPECT_EQ(out.gate_probs.sizes(), torch::IntArrayRef({b, e}));
          EXPECT_EQ(out.topk.sizes(), torch::IntArrayRef({b, top_k}));
          EXPECT_EQ(out.topk.scalar_type(), torch::kInt64);
          EXPECT_EQ(out.weights.sizes(), torch::IntArrayRef({b, e}));
          EXPECT_EQ(out.chosen().sizes(), torch::IntArrayRef({b}));
          EXPECT_TRUE(torch::allclose(out.gate_probs.sum(1), torch::ones({b})));
          EXPECT_TRUE(torch::allclose(out.weights.sum(1), torch::ones({b})));
          EXPECT_TRUE(torch::equal(out.chosen(), out.gate_probs.argmax(1)));
          EXPECT_TRUE(torch::isfinite(out.logits).all().item<bool>());
          auto targets = regression ? torch::randn({b}) : torch::randint(0, 4, {b}, torch::kInt64);
          auto loss = hecto_loss(out, targets, config);
          for (const auto& part : {loss.total, loss.task, loss.entropy, loss.diversity}) {
            EXPECT_EQ(part.dim(), 0);
            EXPECT_TRUE(std::isfinite(part.item<double>()));
          }
          if (training) loss.total.backward();
        }
}

TEST(HectoHead, Top1WeightsAreTheHardChoiceAndTop2RenormaliseTheTwoBest) {
  torch::manual_seed(2);
  auto batch = random_batch({3, 5, 2, 4}, 5);
  HectoHead top1(small_config({F, G, F, G}, 1));
  top1->train();
  auto out1 = top1->forward(batch.hidden, batch.mask);
  auto one_hot = torch::zeros({4, 4}).scatter_(1, out1.topk, 1.0);
  EXPECT_TRUE(torch::equal(out1.weights.detach(), one_hot));

  HectoHead top2(small_config({F, G, F, G}, 2));
  top2->train();
  auto out2 = top2->forward(batch.hidden, batch.mask);
  auto p = out2.gate_probs.detach();
  auto best = std::get<1>(p.sort(1, /*descending=*/true)).narrow(1, 0, 2);
  EXPECT_TRUE(torch::equal(out2.topk, best));
  auto picked = p.gather(1, best);
  auto expected = torch::zeros({4, 4}).scatter_(1, best, picked / picked.sum(1, true));
  EXPECT_TRUE(torch::allclose(out2.weights.detach(), expected));
  EXPECT_TRUE((out2.weights.detach() > 0).sum(1).eq(2).all().item<bool>());
}

TEST(HectoHead, GateLearnsThroughTheStraightThroughPath) {
  for (int top_k : {1, 2}) {
    torch::manual_seed(3);
    auto config = small_config({F, G, F, G}, top_k);
    config.lambda_ent = config.lambda_div = 0.0;
    HectoHead head(config);
    head->train();
    auto batch = random_batch({6, 3, 6, 1, 5, 2}, 6);
    auto out = head->forward(batch.hidden, batch.mask);
    auto loss = hecto_loss(out, torch::tensor({0, 1, 2, 3, 0, 1}, torch::kInt64), config);
    loss.task.backward();
    for (const auto* name : {"gate.out.weight", "gate.out.bias", "gate.hidden.weight"}) {
      auto g = param(head, name).grad();
      ASSERT_TRUE(g.defined()) << name << " top_k " << top_k;
      EXPECT_GT(g.abs().max().item<double>(), 0.0) << name << " top_k " << top_k;
    }
  }
}

TEST(HectoHead, AnExpertWithNoSamplesGetsNoGradient) {
  for (bool sparse : {true, false}) {
    SCOPED_TRACE(sparse ? "sparse" : "dense");
    torch::manual_seed(4);
    auto config = small_config({F, G});
    config.sparse_dispatch = sparse;
    HectoHead head(config);
    head->train();
    force_route(head, 0);
    auto batch = random_batch({4, 2, 4}, 4);
    auto out = head->forward(batch.hidden, batch.mask);
    ASSERT_TRUE(out.chosen().eq(0).all().item<bool>());
    hecto_loss(out, torch::tensor({1, 2, 3}, torch::kInt64), config).total.backward();
    for (const auto& item : head->named_parameters()) {
      const bool unrouted = item.key().rfind("experts.1.", 0) == 0 || item.key().rfind("proj_seq.", 0) == 0;
      if (unrouted) {
        EXPECT_TRUE(grad_is_zero_or_undefined(item.value())) << item.key();
        if (sparse) {
          EXPECT_FALSE(item.value().grad().defined()) << item.key() << ": sparse dispatch ran it";
        }
      } else if (item.key().rfind("experts.0.", 0) == 0) {
        EXPECT_FALSE(grad_is_zero_or_undefined(item.value())) << item.key();
      }
    }
  }
}

TEST(HectoHead, SparseAndDenseDispatchAgreeInValueAndGradient) {
  for (auto layout : std::vector<std::pair<std::vector<ExpertKind>, int>>{
           {{F, G}, 1}, {{F, G}, 2}, {{F, G, F, G}, 1}, {{F, G, F, G}, 2}, {{G, G}, 1}, {{F, T}, 1}, {{G, T}, 2}}) {
    auto config = small_config(layout.first, layout.second);
    SCOPED_TRACE(describe(config));
    auto dense_config = config;
    dense_config.sparse_dispatch = false;
    torch::manual_seed(5);
    HectoHead sparse(config);
    torch::manual_seed(5);
    HectoHead dense(dense_config);
    sparse->train();
    dense->train();
    for (auto* head : {&sparse, &dense}) {
      // A freshly initialised gate sends almost every sample the same way; sharpen it so the
      // batch really is split between experts.
      torch::NoGradGuard no_grad;
      param(*head, "gate.out.weight").mul_(40.0);
    }
    torch::manual_seed(6);
    auto batch = random_batch({8, 3, 5, 8, 1, 6, 2, 7, 4, 8}, 8);
    auto targets = torch::randint(0, 4, {10}, torch::kInt64);
    auto out_s = sparse->forward(batch.hidden, batch.mask);
    auto out_d = dense->forward(batch.hidden, batch.mask);
    EXPECT_TRUE(torch::equal(out_s.topk, out_d.topk));
    EXPECT_TRUE(torch::allclose(out_s.logits, out_d.logits, 1e-5, 1e-6));
    // With one choice per sample more than one expert must actually be used, or the check is empty.
    EXPECT_GT((torch::bincount(out_s.topk.flatten()) > 0).sum().item<int64_t>(), 1);
    hecto_loss(out_s, targets, config).total.backward();
    hecto_loss(out_d, targets, dense_config).total.backward();
    auto dense_params = dense->named_parameters();
    for (const auto& item : sparse->named_parameters()) {
      auto gs = item.value().grad();
      auto gd = (*dense_params.find(item.key())).grad();
      if (!gs.defined()) gs = torch::zeros_like(item.value());
      ASSERT_TRUE(gd.defined()) << item.key();
      EXPECT_TRUE(torch::allclose(gs, gd, 1e-4, 1e-6))
          << item.key() << " max diff " << (gs - gd).abs().max().item<double>();
    }
  }
}

TEST(HectoHead, GruReadsOnlyTheValidTokens) {
  torch::manual_seed(7);
  HectoHead head(small_config({G, G}, 2));
  head->eval();
  auto alone = random_batch({3}, 3);
  auto batch = random_batch({3, 9}, 9);  // row 0: the same three tokens, then noise
  batch.hidden[0].narrow(0, 0, 3).copy_(alone.hidden[0]);
  auto a = head->forward(alone.hidden, alone.mask).logits;
  auto b = head->forward(batch.hidden, batch.mask).logits;
  EXPECT_TRUE(torch::allclose(a[0], b[0], 1e-5, 1e-6)) << a << b;
  // Sanity: the padding noise would have changed the result had it been read.
  auto full = batch.mask.clone();
  full[0].fill_(1);
  auto c = head->forward(batch.hidden, full).logits;
  EXPECT_FALSE(torch::allclose(a[0], c[0], 1e-5, 1e-6));
  // A row with no tokens at all reads its first token rather than failing.
  auto empty = alone.mask.clone().zero_();
  auto one = alone.mask.clone().zero_();
  one[0][0] = 1;
  EXPECT_TRUE(torch::allclose(head->forward(alone.hidden, empty).logits, head->forward(alone.hidden, one).logits));
}

// Mean pooling reads every valid token and nothing past them; [CLS] pooling reads only the first.
TEST(HectoHead, MeanPoolingReadsTheValidTokensAndClsOnlyTheFirst) {
  torch::manual_seed(11);
  auto config = small_config({F, F});
  config.pooling = Pooling::Mean;
  HectoHead mean_head(config);
  mean_head->eval();
  config.pooling = Pooling::Cls;
  HectoHead cls_head(config);
  cls_head->eval();

  auto batch = random_batch({4}, 7);
  auto padding_changed = batch.hidden.clone();
  padding_changed[0].narrow(0, 4, 3).normal_();
  auto second_token_changed = batch.hidden.clone();
  second_token_changed[0][1].normal_();
  const auto gate = [&](HectoHead& head, const torch::Tensor& hidden) {
    return head->forward(hidden, batch.mask).gate_logits;
  };
  EXPECT_TRUE(torch::allclose(gate(mean_head, batch.hidden), gate(mean_head, padding_changed), 1e-5, 1e-6));
  EXPECT_FALSE(torch::allclose(gate(mean_head, batch.hidden), gate(mean_head, second_token_changed), 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(gate(cls_head, batch.hidden), gate(cls_head, second_token_changed)));

  // The mean itself: a head whose tokens all equal their mean gives the same gate.
  auto averaged = batch.hidden.clone();
  averaged[0].narrow(0, 0, 4).copy_(batch.hidden[0].narrow(0, 0, 4).mean(0, true).expand({4, kInput}));
  EXPECT_TRUE(torch::allclose(gate(mean_head, batch.hidden), gate(mean_head, averaged), 1e-5, 1e-6));
  EXPECT_EQ(pooling_from_string("mean"), Pooling::Mean);
  EXPECT_EQ(to_string(Pooling::Cls), "cls");
  EXPECT_THROW(pooling_from_string("max"), InputError);
}

// The pair view compares the two sentences' mean tokens: symmetric in the two, blind to padding,
// and without each token's segment it is an error, not a silent [CLS].
TEST(HectoHead, PairViewIsSymmetricInTheTwoSentencesAndNeedsSegments) {
  torch::manual_seed(13);
  auto config = small_config({F, G}, 1, /*regression=*/true);
  config.pooling = Pooling::Pair;
  HectoHead head(config);
  head->eval();
  // Row 0: sentence A (3 tokens) then B (2 tokens), then 2 padding; row 1: B then A.
  auto batch = random_batch({5, 5}, 7);
  const auto a = batch.hidden[0].narrow(0, 0, 3).clone(), b = batch.hidden[0].narrow(0, 3, 2).clone();
  batch.hidden[1].narrow(0, 0, 2).copy_(b);
  batch.hidden[1].narrow(0, 2, 3).copy_(a);
  auto segments = torch::zeros({2, 7}, torch::kInt64);
  segments[0].narrow(0, 3, 2).fill_(1);
  segments[1].narrow(0, 2, 3).fill_(1);
  const auto gate = head->forward(batch.hidden, batch.mask, segments).gate_logits;
  EXPECT_TRUE(torch::allclose(gate[0], gate[1], 1e-5, 1e-6)) << gate;
  auto padding_changed = batch.hidden.clone();
  padding_changed[0].narrow(0, 5, 2).normal_();
  EXPECT_TRUE(torch::allclose(gate, head->forward(padding_changed, batch.mask, segments).gate_logits, 1e-5, 1e-6));
  // Moving a token from one sentence to the other changes what the gate reads.
  auto moved = segments.clone();
  moved[0][2] = 1;
  EXPECT_FALSE(torch::allclose(gate, head->forward(batch.hidden, batch.mask, moved).gate_logits, 1e-5, 1e-6));
  EXPECT_THROW(head->forward(batch.hidden, batch.mask), InputError);
}

// The Transformer expert reads the same valid tokens whether its batch is padded to them or far
// beyond: padded and packed views agree.
TEST(HectoHead, TransformerReadsOnlyTheValidTokens) {
  torch::manual_seed(8);
  HectoHead head(small_config({T, T}, 2));
  head->eval();
  auto alone = random_batch({3}, 3);
  auto batch = random_batch({3, 9}, 9);
  batch.hidden[0].narrow(0, 0, 3).copy_(alone.hidden[0]);
  auto a = head->forward(alone.hidden, alone.mask).logits;
  auto b = head->forward(batch.hidden, batch.mask).logits;
  EXPECT_TRUE(torch::allclose(a[0], b[0], 1e-5, 1e-6)) << a << b;
  auto full = batch.mask.clone();
  full[0].fill_(1);
  EXPECT_FALSE(torch::allclose(a[0], head->forward(batch.hidden, full).logits[0], 1e-5, 1e-6));
}

TEST(HectoHead, LossMatchesHandComputedFormulas) {
  // Three samples, two experts, three classes, in double precision.
  const double p[3][2] = {{0.7, 0.3}, {0.2, 0.8}, {0.5, 0.5}};
  const double z[3][3] = {{2.0, 0.5, -1.0}, {0.0, 1.0, 0.3}, {-0.5, 0.2, 0.1}};
  const int64_t y[3] = {0, 2, 1};
  double ce = 0, ent = 0, pbar[2] = {0, 0};
  for (int i = 0; i < 3; ++i) {
    double norm = std::exp(z[i][0]) + std::exp(z[i][1]) + std::exp(z[i][2]);
    ce += -std::log(std::exp(z[i][y[i]]) / norm) / 3;
    for (int e = 0; e < 2; ++e) {
      ent += -p[i][e] * std::log(p[i][e]) / 3;
      pbar[e] += p[i][e] / 3;
    }
  }
  double div = pbar[0] * std::log(pbar[0] * 2) + pbar[1] * std::log(pbar[1] * 2);
  auto opts = torch::TensorOptions().dtype(torch::kFloat64);
  HectoOutput out;
  out.gate_probs = torch::tensor({0.7, 0.3, 0.2, 0.8, 0.5, 0.5}, opts).view({3, 2});
  out.logits = torch::tensor({2.0, 0.5, -1.0, 0.0, 1.0, 0.3, -0.5, 0.2, 0.1}, opts).view({3, 3});
  HectoConfig config;
  config.n_outputs = 3;
  config.lambda_ent = 0.05;
  config.lambda_div = 0.08;
  auto parts = hecto_loss(out, torch::tensor({0, 2, 1}, torch::kInt64), config);
  EXPECT_NEAR(parts.task.item<double>(), ce, 1e-12);
  EXPECT_NEAR(parts.entropy.item<double>(), ent, 1e-12);
  EXPECT_NEAR(parts.diversity.item<double>(), div, 1e-12);
  EXPECT_NEAR(parts.total.item<double>(), ce + 0.05 * ent + 0.08 * div, 1e-12);
  EXPECT_GT(div, 0.0);  // the example is deliberately unbalanced: pbar = (0.4667, 0.5333)

  // Regression: MSE on a [B] output; a balanced gate has zero diversity penalty.
  HectoOutput reg;
  reg.gate_probs = torch::tensor({0.9, 0.1, 0.1, 0.9}, opts).view({2, 2});
  reg.logits = torch::tensor({1.5, -0.5}, opts);
  HectoConfig reg_config;
  reg_config.regression = true;
  reg_config.n_outputs = 1;
  auto rp = hecto_loss(reg, torch::tensor({1.0, 0.5}, opts), reg_config);
  EXPECT_NEAR(rp.task.item<double>(), (0.25 + 1.0) / 2, 1e-12);
  EXPECT_NEAR(rp.diversity.item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(rp.entropy.item<double>(), -(0.9 * std::log(0.9) + 0.1 * std::log(0.1)), 1e-12);

  // A one-hot gate has zero entropy and no NaN from log(0).
  HectoOutput hard;
  hard.gate_probs = torch::tensor({1.0, 0.0}, opts).view({1, 2});
  hard.logits = torch::tensor({0.3}, opts);
  auto hp = hecto_loss(hard, torch::tensor({0.3}, opts), reg_config);
  EXPECT_EQ(hp.entropy.item<double>(), 0.0);
  EXPECT_NEAR(hp.diversity.item<double>(), std::log(2.0), 1e-12);
  EXPECT_THROW(hecto_loss(out, torch::tensor({0, 1}, torch::kInt64), config), InputError);
}

TEST(HectoHead, GateEntropyIsReportedInBits) {
  EXPECT_DOUBLE_EQ(mean_gate_entropy_bits(torch::tensor({0.5, 0.5, 1.0, 0.0}).view({2, 2})), 0.5);
  EXPECT_NEAR(mean_gate_entropy_bits(torch::full({3, 4}, 0.25)), 2.0, 1e-6);
  EXPECT_NEAR(mean_gate_entropy_bits(torch::tensor({0.9, 0.1}).view({1, 2})),
              -(0.9 * std::log2(0.9) + 0.1 * std::log2(0.1)), 1e-6);
}

TEST(HectoHead, SameSeedGivesBitIdenticalParametersOutputsAndSteps) {
  auto config = small_config({F, G, F, G}, 2);
  auto batch = random_batch({5, 2, 6, 3}, 6);
  auto targets = torch::tensor({0, 3, 1, 2}, torch::kInt64);
  std::vector<HectoHead> heads;
  std::vector<std::vector<torch::Tensor>> outputs;
  for (int run = 0; run < 2; ++run) {
    torch::manual_seed(11);
    HectoHead head(config);
    head->train();
    torch::optim::Adam adam(head->parameters(), torch::optim::AdamOptions(1e-2));
    auto before = head->forward(batch.hidden, batch.mask);
    hecto_loss(before, targets, config).total.backward();
    adam.step();
    auto after = head->forward(batch.hidden, batch.mask);
    outputs.push_back({before.logits.detach(), before.gate_probs.detach(), after.logits.detach()});
    heads.push_back(head);
  }
  auto p0 = heads[0]->named_parameters();
  auto p1 = heads[1]->named_parameters();
  ASSERT_EQ(p0.size(), p1.size());
  for (const auto& item : p0) EXPECT_TRUE(torch::equal(item.value(), *p1.find(item.key()))) << item.key();
  for (size_t i = 0; i < outputs[0].size(); ++i) EXPECT_TRUE(torch::equal(outputs[0][i], outputs[1][i])) << i;
  // The step did move something, so the "after" comparison is not trivially the "before" one.
  EXPECT_FALSE(torch::equal(outputs[0][0], outputs[0][2]));
}

namespace {

// Four well-separated clusters, one per class; every token of a sample carries its cluster's
// signal, so both the [CLS]-reading FFNN expert and the GRU expert can solve the task alone.
struct ToyData {
  torch::Tensor hidden, mask, labels;
};
ToyData toy_clusters(int64_t n, int64_t tokens) {
  auto centers = torch::randn({4, kInput}) * 2.0;
  auto labels = torch::arange(n, torch::kInt64).remainder(4);
  auto hidden = centers.index_select(0, labels).unsqueeze(1).expand({n, tokens, kInput}) +
                torch::randn({n, tokens, kInput}) * 0.7;
  auto lengths = torch::randint(2, tokens + 1, {n}, torch::kInt64);
  auto mask = torch::arange(tokens).unsqueeze(0).lt(lengths.unsqueeze(1)).to(torch::kInt64);
  return {hidden.contiguous(), mask, labels};
}

struct ToyOutcome {
  double expert0_share;  // fraction of the data set routed to expert 0 under argmax routing
  double accuracy;
};
// Trains a ffnn+gru head whose gate starts biased towards expert 0 (p0 = 0.79 at T = 1.5).
ToyOutcome train_toy_head(double lambda_ent, double lambda_div, int steps, int seed) {
  torch::manual_seed(seed);
  auto data = toy_clusters(256, 6);
  auto config = small_config({F, G});
  config.lambda_ent = lambda_ent;
  config.lambda_div = lambda_div;
  HectoHead head(config);
  {
    torch::NoGradGuard no_grad;
    auto bias = param(head, "gate.out.bias");
    bias[0] = 2.0;
    bias[1] = 0.0;
  }
  torch::optim::Adam adam(head->parameters(), torch::optim::AdamOptions(1e-2));
  for (int step = 0; step < steps; ++step) {
    auto rows = torch::randperm(256, torch::kInt64).narrow(0, 0, 64);
    auto out = head->forward(data.hidden.index_select(0, rows), data.mask.index_select(0, rows));
    auto loss = hecto_loss(out, data.labels.index_select(0, rows), config);
    adam.zero_grad();
    loss.total.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  head->eval();
  auto out = head->forward(data.hidden, data.mask);
  return {out.chosen().eq(0).to(torch::kFloat64).mean().item<double>(),
          out.logits.argmax(1).eq(data.labels).to(torch::kFloat64).mean().item<double>()};
}

}  // namespace

// The paper's motivation for the regularisers: without them a gate that starts out preferring
// one expert keeps feeding it (the straight-through gradient only rewards the expert it chose),
// and routing collapses. With them the batch is split. On this toy problem the paper's default
// lambda_div = 0.08 is not always enough within 200 steps, so the balanced run uses 0.5.
TEST(HectoHeadToy, RoutingCollapsesWithoutRegularisersAndBalancesWithThem) {
  const int before = hecto::runtime::torch_threads();
  hecto::runtime::set_torch_threads(1);
  for (int seed : {1, 2, 2024}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto collapsed = train_toy_head(0.0, 0.0, 200, seed);
    EXPECT_GT(collapsed.expert0_share, 0.95);
    EXPECT_GT(collapsed.accuracy, 0.9);
    auto balanced = train_toy_head(0.05, 0.5, 200, seed);
    EXPECT_GT(balanced.expert0_share, 0.10);
    EXPECT_LT(balanced.expert0_share, 0.90);
    EXPECT_GT(balanced.accuracy, 0.9);
  }
  hecto::runtime::set_torch_threads(before);
}

// The paper's sizes, counted by hand: projections 768*256+256 each, gate 256*128+128 + 128*E+E,
// FFNN expert 256*128+128 + 128*C+C, GRU expert 3*(256*128 + 128*128 + 2*128) + 128*C+C.
TEST(HectoHead, ParameterCountMatchesThePaperArchitecture) {
  auto count = [](const HectoConfig& c) {
    HectoHead head(c);
    int64_t n = 0;
    for (const auto& p : head->parameters()) n += p.numel();
    return n;
  };
  const int64_t proj = 768 * 256 + 256, gate = 256 * 128 + 128 + 128 * 2 + 2;
  const int64_t ffnn = 256 * 128 + 128 + 128 * 4 + 4;
  const int64_t gru = 3 * (256 * 128 + 128 * 128 + 2 * 128) + 128 * 4 + 4;
  HectoConfig hecto;  // defaults: ffnn + gru, 4 classes
  EXPECT_EQ(count(hecto), 2 * proj + gate + ffnn + gru);
  HectoConfig ff_ff;
  ff_ff.experts = {F, F};  // no GRU expert reads the sequence, so there is no sequence projection
  EXPECT_EQ(count(ff_ff), proj + gate + 2 * ffnn);
}
