#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/sha256.h"
#include "model/encoder.h"
#include "model/safetensors.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::model::Encoder;
using hecto::model::EncoderConfig;
using hecto::model::StateDict;
using hecto::testing::TempDir;
using hecto::testing::write_file;
using torch::Tensor;

namespace {

EncoderConfig tiny(const std::string& type = "distilbert") {
  EncoderConfig c;
  c.model_type = type;
  c.dim = 16;
  c.n_layers = 2;
  c.n_heads = 4;
  c.hidden_dim = 24;
  c.vocab_size = 40;
  c.max_position_embeddings = 12;
  c.type_vocab_size = type == "bert" ? 2 : 0;
  c.layer_norm_eps = type == "bert" ? 1e-5 : 1e-12;
  return c;
}

// A checkpoint as Hugging Face writes it for *ForMaskedLM: prefixed encoder tensors, an MLM head,
// and (for BERT) the position_ids buffer. Random values everywhere, biases and LayerNorms too,
// so that every tensor matters to the output.
std::map<std::string, Tensor> hf_checkpoint(const EncoderConfig& c, uint64_t seed) {
  torch::manual_seed(seed);
  const int64_t d = c.dim, f = c.hidden_dim;
  std::map<std::string, Tensor> t;
  auto w = [](std::vector<int64_t> s) { return torch::randn(s) * 0.3; };
  auto norm_w = [](int64_t n) { return 1 + 0.1 * torch::randn({n}); };
  if (c.model_type == "distilbert") {
    const std::string p = "distilbert.";
    t[p + "embeddings.word_embeddings.weight"] = w({c.vocab_size, d});
    t[p + "embeddings.position_embeddings.weight"] = w({c.max_position_embeddings, d});
    t[p + "embeddings.LayerNorm.weight"] = norm_w(d);
    t[p + "embeddings.LayerNorm.bias"] = w({d});
    for (int i = 0; i < c.n_layers; ++i) {
      const std::string l = p + "transformer.layer." + std::to_string(i) + ".";
      for (const char* lin : {"q_lin", "k_lin", "v_lin", "out_lin"}) {
        t[l + "attention." + lin + ".weight"] = w({d, d});
        t[l + "attention." + lin + ".bias"] = w({d});
      }
      t[l + "sa_layer_norm.weight"] = norm_w(d);
      t[l + "sa_layer_norm.bias"] = w({d});
      t[l + "ffn.lin1.weight"] = w({f, d});
      t[l + "ffn.lin1.bias"] = w({f});
      t[l + "ffn.lin2.weight"] = w({d, f});
      t[l + "ffn.lin2.bias"] = w({d});
      t[l + "output_layer_norm.weight"] = norm_w(d);
      t[l + "output_layer_norm.bias"] = w({d});
    }
    t["vocab_transform.weight"] = w({d, d});
    t["vocab_transform.bias"] = w({d});
    t["vocab_layer_norm.weight"] = norm_w(d);
    t["vocab_layer_norm.bias"] = w({d});
    t["vocab_projector.bias"] = w({c.vocab_size});
  } else {
    const std::string p = "bert.";
    t[p + "embeddings.word_embeddings.weight"] = w({c.vocab_size, d});
    t[p + "embeddings.position_embeddings.weight"] = w({c.max_position_embeddings, d});
    t[p + "embeddings.token_type_embeddings.weight"] = w({c.type_vocab_size, d});
    t[p + "embeddings.LayerNorm.weight"] = norm_w(d);
    t[p + "embeddings.LayerNorm.bias"] = w({d});
    t[p + "embeddings.position_ids"] = torch::arange(c.max_position_embeddings, torch::kLong).view({1, -1});
    for (int i = 0; i < c.n_layers; ++i) {
      const std::string l = p + "encoder.layer." + std::to_string(i) + ".";
      for (const char* lin : {"query", "key", "value"}) {
        t[l + "attention.self." + lin + ".weight"] = w({d, d});
        t[l + "attention.self." + lin + ".bias"] = w({d});
      }
      t[l + "attention.output.dense.weight"] = w({d, d});
      t[l + "attention.output.dense.bias"] = w({d});
      t[l + "attention.output.LayerNorm.weight"] = norm_w(d);
      t[l + "attention.output.LayerNorm.bias"] = w({d});
      t[l + "intermediate.dense.weight"] = w({f, d});
      t[l + "intermediate.dense.bias"] = w({f});
      t[l + "output.dense.weight"] = w({d, f});
      t[l + "output.dense.bias"] = w({d});
      t[l + "output.LayerNorm.weight"] = norm_w(d);
      t[l + "output.LayerNorm.bias"] = w({d});
    }
    t[p + "pooler.dense.weight"] = w({d, d});
    t[p + "pooler.dense.bias"] = w({d});
    t["cls.predictions.bias"] = w({c.vocab_size});
  }
  return t;
}

void write_checkpoint(const std::filesystem::path& dir, const EncoderConfig& c,
                      const std::map<std::string, Tensor>& t) {
  write_file(dir / "config.json", c.to_hf_json().dump(2));
  hecto::model::save_safetensors((dir / "model.safetensors").string(), t, {{"format", "pt"}});
}

// ---- An independent forward pass in float64, from the checkpoint's tensors by name, one head at a time.

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) { return x.matmul(w.t()) + b; }

Tensor layer_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps) {
  Tensor mean = x.mean(-1, true);
  Tensor var = (x - mean).pow(2).mean(-1, true);
  return (x - mean) / (var + eps).sqrt() * w + b;
}

Tensor gelu_erf(const Tensor& x) { return 0.5 * x * (1 + (x / std::sqrt(2.0)).erf()); }

Tensor reference_forward(const std::map<std::string, Tensor>& ckpt, const EncoderConfig& c, const Tensor& ids,
                         const Tensor& mask, const Tensor& type_ids) {
  const bool bert = c.model_type == "bert";
  const std::string p = bert ? "bert." : "distilbert.";
  auto W = [&](const std::string& name) { return ckpt.at(p + name).to(torch::kDouble); };
  const int64_t B = ids.size(0), T = ids.size(1), H = c.n_heads, dh = c.dim / c.n_heads;

  Tensor x = W("embeddings.word_embeddings.weight").index_select(0, ids.flatten()).view({B, T, c.dim});
  x = x + W("embeddings.position_embeddings.weight").slice(0, 0, T).unsqueeze(0);
  if (bert)
    x = x + W("embeddings.token_type_embeddings.weight").index_select(0, type_ids.flatten()).view({B, T, c.dim});
  x = layer_norm(x, W("embeddings.LayerNorm.weight"), W("embeddings.LayerNorm.bias"), c.layer_norm_eps);

  const Tensor key_is_pad = (mask == 0).view({B, 1, T});
  for (int i = 0; i < c.n_layers; ++i) {
    const std::string l = (bert ? "encoder.layer." : "transformer.layer.") + std::to_string(i) + ".";
    auto lin = [&](const std::string& name, const Tensor& in) {
      return linear(in, W(l + name + ".weight"), W(l + name + ".bias"));
    };
    auto ln = [&](const std::string& name, const Tensor& in) {
      return layer_norm(in, W(l + name + ".weight"), W(l + name + ".bias"), c.layer_norm_eps);
    };
    Tensor q = lin(bert ? "attention.self.query" : "attention.q_lin", x);
    Tensor k = lin(bert ? "attention.self.key" : "attention.k_lin", x);
    Tensor v = lin(bert ? "attention.self.value" : "attention.v_lin", x);
    std::vector<Tensor> heads;
    for (int64_t h = 0; h < H; ++h) {
      Tensor qh = q.slice(2, h * dh, (h + 1) * dh), kh = k.slice(2, h * dh, (h + 1) * dh),
             vh = v.slice(2, h * dh, (h + 1) * dh);
      Tensor s = qh.bmm(kh.transpose(1, 2)) / std::sqrt(double(dh));  // [B,T,T]
      s = s.masked_fill(key_is_pad, -1e300);
      Tensor e = (s - std::get<0>(s.max(-1, true))).exp();
      heads.push_back((e / e.sum(-1, true)).bmm(vh));
    }
    Tensor attended = lin(bert ? "attention.output.dense" : "attention.out_lin", torch::cat(heads, 2));
    x = ln(bert ? "attention.output.LayerNorm" : "sa_layer_norm", attended + x);
    Tensor ffn = lin(bert ? "output.dense" : "ffn.lin2", gelu_erf(lin(bert ? "intermediate.dense" : "ffn.lin1", x)));
    x = ln(bert ? "output.LayerNorm" : "output_layer_norm", ffn + x);
  }
  return x;
}

// Two sequences, the second padded, so the mask matters.
struct Batch {
  Tensor ids, mask, types;
};
Batch sample_batch(const EncoderConfig& c) {
  Batch b;
  b.ids = torch::randint(1, c.vocab_size, {2, 9}, torch::kLong);
  b.mask = torch::ones({2, 9}, torch::kLong);
  b.mask[1].slice(0, 6).fill_(0);
  b.ids[1].slice(0, 6).fill_(c.pad_token_id);
  b.types = torch::zeros({2, 9}, torch::kLong);
  b.types[0].slice(0, 4).fill_(1);
  return b;
}

std::string load_error(const std::filesystem::path& dir) {
  try {
    hecto::model::load_pretrained(dir.string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Encoder, DistilBertMatchesAnIndependentForward) {
  TempDir dir;
  const auto c = tiny("distilbert");
  const auto ckpt = hf_checkpoint(c, 1);
  write_checkpoint(dir.path(), c, ckpt);
  auto pre = hecto::model::load_pretrained(dir.path().string());
  EXPECT_FALSE(pre.encoder->is_training());
  EXPECT_EQ(pre.report.loaded.size(), 4u + 16u * 2);
  EXPECT_EQ(pre.report.unexpected.size(), 5u);  // the MLM head
  EXPECT_EQ(pre.weights_sha256, hecto::common::sha256_file((dir / "model.safetensors").string()));

  auto b = sample_batch(c);
  Tensor got = pre.encoder->forward(b.ids, b.mask);
  Tensor want = reference_forward(ckpt, c, b.ids, b.mask, b.types);
  ASSERT_EQ(got.sizes(), (std::vector<int64_t>{2, 9, c.dim}));
  EXPECT_EQ(got.scalar_type(), torch::kFloat);
  EXPECT_LT((got.to(torch::kDouble) - want).abs().max().item<double>(), 1e-5);
}

TEST(Encoder, BertMatchesAnIndependentForward) {
  TempDir dir;
  const auto c = tiny("bert");
  const auto ckpt = hf_checkpoint(c, 2);
  write_checkpoint(dir.path(), c, ckpt);
  auto pre = hecto::model::load_pretrained(dir.path().string());
  EXPECT_EQ(pre.report.unexpected.size(), 4u);  // pooler, cls, position_ids

  auto b = sample_batch(c);
  Tensor got = pre.encoder->forward(b.ids, b.mask, b.types);
  Tensor want = reference_forward(ckpt, c, b.ids, b.mask, b.types);
  EXPECT_LT((got.to(torch::kDouble) - want).abs().max().item<double>(), 1e-5);
  // Without type ids every token is segment 0.
  Tensor zeros_types = reference_forward(ckpt, c, b.ids, b.mask, torch::zeros_like(b.types));
  EXPECT_LT((pre.encoder->forward(b.ids, b.mask).to(torch::kDouble) - zeros_types).abs().max().item<double>(), 1e-5);
}

TEST(Encoder, ParameterNamesAreHuggingFaces) {
  Encoder distil(tiny("distilbert"));
  auto state = distil->hf_state();
  for (const char* name : {"embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                           "embeddings.LayerNorm.bias", "transformer.layer.0.attention.q_lin.weight",
                           "transformer.layer.1.attention.out_lin.bias", "transformer.layer.1.sa_layer_norm.weight",
                           "transformer.layer.0.ffn.lin1.weight", "transformer.layer.1.output_layer_norm.bias"})
    EXPECT_TRUE(state.count(name)) << name;
  EXPECT_EQ(state.size(), 4u + 16u * 2);
  int64_t count = 0;
  for (const auto& [name, t] : state) count += t.numel();
  EXPECT_EQ(count, tiny().parameter_count());

  Encoder bert(tiny("bert"));
  auto bstate = bert->hf_state();
  for (const char* name : {"embeddings.token_type_embeddings.weight", "encoder.layer.0.attention.self.query.weight",
                           "encoder.layer.1.attention.output.LayerNorm.weight",
                           "encoder.layer.0.intermediate.dense.bias", "encoder.layer.1.output.dense.weight"})
    EXPECT_TRUE(bstate.count(name)) << name;
  // hf_state shares storage with the parameters: writing through it changes the model.
  torch::NoGradGuard g;
  state.at("embeddings.LayerNorm.bias").fill_(3);
  EXPECT_EQ(distil->hf_state().at("embeddings.LayerNorm.bias")[0].item<float>(), 3.0f);
}

TEST(Encoder, PaddingDoesNotChangeRealPositions) {
  const auto c = tiny();
  Encoder enc(c);
  enc->init_weights(5);
  enc->eval();
  Tensor alone = torch::randint(1, c.vocab_size, {1, 5}, torch::kLong);
  Tensor other = torch::randint(1, c.vocab_size, {1, 9}, torch::kLong);
  Tensor padded = torch::cat({torch::cat({alone, torch::zeros({1, 4}, torch::kLong)}, 1), other});
  Tensor mask = torch::ones({2, 9}, torch::kLong);
  mask[0].slice(0, 5).fill_(0);
  Tensor single = enc->forward(alone, torch::ones({1, 5}, torch::kLong));
  Tensor batched = enc->forward(padded, mask);
  EXPECT_LT((batched[0].slice(0, 0, 5) - single[0]).abs().max().item<float>(), 1e-5);
  EXPECT_LT((batched[1] - enc->forward(other, torch::ones({1, 9}, torch::kLong))[0]).abs().max().item<float>(), 1e-5);
  // A bool mask behaves like an integer one, and a row of only padding stays finite.
  EXPECT_TRUE(torch::allclose(enc->forward(padded, mask.to(torch::kBool)), batched));
  Tensor all_pad = enc->forward(padded, torch::zeros({2, 9}, torch::kLong));
  EXPECT_TRUE(torch::isfinite(all_pad).all().item<bool>());
}

TEST(Encoder, Bf16CastStaysCloseToFp32AndReturnsFp32) {
  const auto c = tiny();
  Encoder fp32(c), bf16(c);
  fp32->init_weights(7);
  bf16->init_weights(7);
  fp32->eval();
  bf16->eval();
  bf16->to(torch::kBFloat16);
  ASSERT_EQ(bf16->hf_state().at("transformer.layer.0.ffn.lin1.weight").scalar_type(), torch::kBFloat16);
  torch::InferenceMode inference;
  auto b = sample_batch(c);
  Tensor want = fp32->forward(b.ids, b.mask), got = bf16->forward(b.ids, b.mask);
  EXPECT_EQ(got.scalar_type(), torch::kFloat);
  EXPECT_FALSE(torch::equal(got, want)) << "the cast changed nothing: still computing in fp32?";
  // bf16 keeps 8 bits of mantissa: every token's vector keeps its direction.
  const double worst_cosine = torch::cosine_similarity(got.flatten(0, 1), want.flatten(0, 1), 1).min().item<double>();
  EXPECT_GT(worst_cosine, 0.995);
  // The padding fill is bf16's lowest finite value, not -inf: a row of only padding stays finite.
  Tensor all_pad = bf16->forward(b.ids, torch::zeros_like(b.mask));
  EXPECT_TRUE(torch::isfinite(all_pad).all().item<bool>());
}

TEST(Encoder, SameSeedSameWeightsBitForBit) {
  Encoder a(tiny()), b(tiny()), c(tiny());
  a->init_weights(42);
  b->init_weights(42);
  c->init_weights(43);
  auto sa = a->hf_state(), sb = b->hf_state(), sc = c->hf_state();
  for (const auto& [name, t] : sa) EXPECT_TRUE(torch::equal(t, sb.at(name))) << name;
  EXPECT_FALSE(torch::equal(sa.at("transformer.layer.0.attention.q_lin.weight"),
                            sc.at("transformer.layer.0.attention.q_lin.weight")));
  // Hugging Face's initialisation.
  const auto& word = sa.at("embeddings.word_embeddings.weight");
  EXPECT_TRUE(word[0].eq(0).all().item<bool>()) << "padding row is zero";
  EXPECT_NEAR(word.slice(0, 1).std().item<double>(), 0.02, 0.003);
  EXPECT_TRUE(sa.at("transformer.layer.1.ffn.lin1.bias").eq(0).all().item<bool>());
  EXPECT_TRUE(sa.at("transformer.layer.1.sa_layer_norm.weight").eq(1).all().item<bool>());
  EXPECT_TRUE(sa.at("embeddings.LayerNorm.bias").eq(0).all().item<bool>());
}

TEST(Encoder, DropoutOnlyWhileTraining) {
  auto c = tiny();
  c.dropout = c.attention_dropout = 0.3;
  Encoder enc(c);
  enc->init_weights(1);
  Tensor ids = torch::randint(1, c.vocab_size, {2, 7}, torch::kLong), mask = torch::ones({2, 7}, torch::kLong);
  enc->eval();
  EXPECT_TRUE(torch::equal(enc->forward(ids, mask), enc->forward(ids, mask)));
  enc->train();
  EXPECT_FALSE(torch::equal(enc->forward(ids, mask), enc->forward(ids, mask)));
}

TEST(Encoder, GradientsReachEveryParameter) {
  for (const char* type : {"distilbert", "bert"}) {
    Encoder enc(tiny(type));
    enc->init_weights(3);
    enc->train();
    Tensor ids = torch::randint(1, 40, {2, 6}, torch::kLong), mask = torch::ones({2, 6}, torch::kLong);
    enc->forward(ids, mask, torch::ones({2, 6}, torch::kLong)).pow(2).sum().backward();
    for (const auto& p : enc->named_parameters()) {
      ASSERT_TRUE(p.value().grad().defined()) << type << " " << p.key();
      EXPECT_GT(p.value().grad().abs().sum().item<double>(), 0) << type << " " << p.key();
    }
  }
}

TEST(Encoder, SavePretrainedLoadsBackIdentically) {
  TempDir dir;
  Encoder enc(tiny());
  enc->init_weights(9);
  auto vocab = write_file(dir / "src" / "vocab.txt", "[PAD]\n[UNK]\n");
  hecto::model::save_pretrained(enc, (dir / "out").string(), vocab.string());
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "vocab.txt"));
  auto raw = hecto::model::load_safetensors((dir / "out" / "model.safetensors").string());
  EXPECT_TRUE(raw.count("distilbert.transformer.layer.0.attention.q_lin.weight"));
  auto pre = hecto::model::load_pretrained((dir / "out").string());
  EXPECT_TRUE(pre.report.unexpected.empty());
  auto a = enc->hf_state(), b = pre.encoder->hf_state();
  for (const auto& [name, t] : a) EXPECT_TRUE(torch::equal(t, b.at(name))) << name;
}

TEST(Encoder, MissingOrMisShapedTensorsAreListed) {
  TempDir dir;
  const auto c = tiny();
  auto ckpt = hf_checkpoint(c, 4);
  ckpt.erase("distilbert.transformer.layer.1.ffn.lin2.bias");
  ckpt.erase("distilbert.embeddings.LayerNorm.weight");
  ckpt["distilbert.transformer.layer.0.attention.k_lin.weight"] = torch::zeros({16, 8});
  write_checkpoint(dir.path(), c, ckpt);
  auto msg = load_error(dir.path());
  EXPECT_NE(msg.find("model.safetensors"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2 missing"), std::string::npos) << msg;
  EXPECT_NE(msg.find("transformer.layer.1.ffn.lin2.bias"), std::string::npos) << msg;
  EXPECT_NE(msg.find("embeddings.LayerNorm.weight"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1 mis-shaped"), std::string::npos) << msg;
  EXPECT_NE(msg.find("k_lin.weight (expected [16, 16] float, found [16, 8]"), std::string::npos) << msg;

  // Unprefixed names (a DistilBertModel checkpoint) load just as well.
  TempDir plain;
  std::map<std::string, Tensor> unprefixed;
  for (const auto& [name, t] : hf_checkpoint(c, 4))
    if (name.rfind("distilbert.", 0) == 0) unprefixed[name.substr(11)] = t;
  write_checkpoint(plain.path(), c, unprefixed);
  EXPECT_EQ(hecto::model::load_pretrained(plain.path().string()).report.loaded.size(), 36u);
}

TEST(Encoder, DirectoryProblemsAreInputErrors) {
  TempDir dir;
  EXPECT_NE(load_error(dir / "absent").find("not a directory"), std::string::npos);
  write_file(dir / "pytorch_model.bin", "x");
  write_file(dir / "config.json", tiny().to_hf_json().dump());
  EXPECT_NE(load_error(dir.path()).find("pytorch_model.bin"), std::string::npos);
  Encoder enc(tiny());
  EXPECT_THROW(enc->forward(torch::zeros({1, 13}, torch::kLong), torch::ones({1, 13})), InputError);
}
