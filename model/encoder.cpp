#include "model/encoder.h"

#include <ATen/CPUGeneratorImpl.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "common/error.h"
#include "common/sha256.h"
#include "model/dropout.h"
#include "model/encoder_fit.h"
#include "model/safetensors.h"
#include "text/tokenizer.h"

namespace hecto::model {

using common::InputError;
using common::RunError;
namespace fs = std::filesystem;

namespace {

// A parameterless node of the module tree: its only job is to give children Hugging Face's dotted names.
struct Node : torch::nn::Module {};

template <typename M>
M child(const std::shared_ptr<torch::nn::Module>& parent, const std::string& name, M module) {
  parent->register_module(name, module);
  return module;
}

std::string shape_str(torch::IntArrayRef s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// Tensors of Hugging Face checkpoints that belong to heads or buffers, not to the encoder.
bool is_known_non_encoder(const std::string& name) {
  for (const char* p : {"vocab_transform.", "vocab_layer_norm.", "vocab_projector.", "pre_classifier.", "classifier.",
                        "cls.", "pooler.", "qa_outputs.", "lm_head.", "discriminator_predictions."})
    if (starts_with(name, p)) return true;
  return ends_with(name, "position_ids");
}

// "distilbert.x" / "bert.x" -> "x"; old TF-converted BERT names LayerNorm.gamma/beta -> weight/bias.
std::string canonical_name(std::string name) {
  for (const char* p : {"distilbert.", "bert."})
    if (starts_with(name, p)) {
      name = name.substr(std::string_view(p).size());
      break;
    }
  if (ends_with(name, "LayerNorm.gamma")) name = name.substr(0, name.size() - 5) + "weight";
  if (ends_with(name, "LayerNorm.beta")) name = name.substr(0, name.size() - 4) + "bias";
  return name;
}

}  // namespace

struct EncoderImpl::Impl {
  struct Layer {
    torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, out{nullptr};
    torch::nn::LayerNorm attention_norm{nullptr};
    torch::nn::Linear ffn_in{nullptr}, ffn_out{nullptr};
    torch::nn::LayerNorm output_norm{nullptr};
  };
  torch::nn::Embedding word{nullptr}, position{nullptr}, token_type{nullptr};
  torch::nn::LayerNorm embedding_norm{nullptr};
  std::vector<Layer> layers;
};

EncoderImpl::EncoderImpl(EncoderConfig config) : impl_(std::make_shared<Impl>()), config_(std::move(config)) {
  const auto& c = config_;
  if (c.dim <= 0 || c.n_heads <= 0 || c.dim % c.n_heads != 0 || c.n_layers <= 0 || c.hidden_dim <= 0 ||
      c.vocab_size <= 0 || c.max_position_embeddings <= 0)
    throw InputError({"encoder config", 0, 0}, "inconsistent encoder shape: " + c.describe(),
                     "positive sizes and dim divisible by n_heads");
  if (c.model_type != "distilbert" && c.model_type != "bert")
    throw InputError({"encoder config", 0, 0}, "model_type \"" + c.model_type + "\"", "\"distilbert\" or \"bert\"");
  const bool bert = c.model_type == "bert";
  const bool pad_ok = c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size;
  auto norm = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.dim}).eps(c.layer_norm_eps)); };
  auto linear = [](int64_t in, int64_t out) { return torch::nn::Linear(torch::nn::LinearOptions(in, out)); };
  Impl& m = *impl_;

  auto embeddings = register_module("embeddings", std::make_shared<Node>());
  auto word_options = torch::nn::EmbeddingOptions(c.vocab_size, c.dim);
  if (pad_ok) word_options.padding_idx(c.pad_token_id);
  m.word = child(embeddings, "word_embeddings", torch::nn::Embedding(word_options));
  m.position = child(embeddings, "position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.dim));
  if (bert)
    m.token_type =
        child(embeddings, "token_type_embeddings", torch::nn::Embedding(std::max(1, c.type_vocab_size), c.dim));
  m.embedding_norm = child(embeddings, "LayerNorm", norm());

  auto stack = register_module(bert ? "encoder" : "transformer", std::make_shared<Node>());
  auto list = child(stack, "layer", torch::nn::ModuleList());
  for (int i = 0; i < c.n_layers; ++i) {
    auto block = std::make_shared<Node>();
    Impl::Layer L;
    auto attention = child(block, "attention", std::make_shared<Node>());
    if (bert) {
      auto self = child(attention, "self", std::make_shared<Node>());
      L.q = child(self, "query", linear(c.dim, c.dim));
      L.k = child(self, "key", linear(c.dim, c.dim));
      L.v = child(self, "value", linear(c.dim, c.dim));
      auto attention_output = child(attention, "output", std::make_shared<Node>());
      L.out = child(attention_output, "dense", linear(c.dim, c.dim));
      L.attention_norm = child(attention_output, "LayerNorm", norm());
      auto intermediate = child(block, "intermediate", std::make_shared<Node>());
      L.ffn_in = child(intermediate, "dense", linear(c.dim, c.hidden_dim));
      auto output = child(block, "output", std::make_shared<Node>());
      L.ffn_out = child(output, "dense", linear(c.hidden_dim, c.dim));
      L.output_norm = child(output, "LayerNorm", norm());
    } else {
      L.q = child(attention, "q_lin", linear(c.dim, c.dim));
      L.k = child(attention, "k_lin", linear(c.dim, c.dim));
      L.v = child(attention, "v_lin", linear(c.dim, c.dim));
      L.out = child(attention, "out_lin", linear(c.dim, c.dim));
      L.attention_norm = child(block, "sa_layer_norm", norm());
      auto ffn = child(block, "ffn", std::make_shared<Node>());
      L.ffn_in = child(ffn, "lin1", linear(c.dim, c.hidden_dim));
      L.ffn_out = child(ffn, "lin2", linear(c.hidden_dim, c.dim));
      L.output_norm = child(block, "output_layer_norm", norm());
    }
    list->push_back(block);
    m.layers.push_back(L);
  }
}

torch::Tensor EncoderImpl::forward(const torch::Tensor& ids_in, const torch::Tensor& mask,
                                   const torch::Tensor& type_ids) {
  TORCH_CHECK(ids_in.dim() == 2, "encoder ids must be [batch, tokens], got ", ids_in.sizes());
  const torch::Tensor ids = ids_in.scalar_type() == torch::kLong ? ids_in : ids_in.to(torch::kLong);
  return forward_embedded(word_embeddings(ids), mask, type_ids);
}

torch::Tensor EncoderImpl::word_embeddings(const torch::Tensor& ids) { return impl_->word->forward(ids); }

torch::Tensor EncoderImpl::forward_embedded(const torch::Tensor& words, const torch::Tensor& mask,
                                            const torch::Tensor& type_ids) {
  const auto& c = config_;
  Impl& m = *impl_;
  TORCH_CHECK(words.dim() == 3 && words.size(2) == c.dim, "word embeddings must be [batch, tokens, dim], got ",
              words.sizes());
  TORCH_CHECK(mask.dim() == 2 && mask.size(0) == words.size(0) && mask.size(1) == words.size(1), "encoder mask ",
              mask.sizes(), " does not match the tokens ", words.sizes());
  const int64_t B = words.size(0), T = words.size(1), H = c.n_heads, dh = c.dim / c.n_heads;
  if (T > c.max_position_embeddings)
    throw InputError({"encoder input", 0, 0}, std::to_string(T) + " tokens exceed max_position_embeddings",
                     "at most " + std::to_string(c.max_position_embeddings) + " tokens");
  const bool training = is_training();
  // LibTorch 1.13's CPU LayerNorm is 7-14x slower in bf16 than in fp32 at these shapes
  // (measured, 53 x 768): a bf16 encoder normalises in fp32 and goes back to bf16.
  auto norm = [](torch::nn::LayerNorm& ln, const torch::Tensor& t) {
    if (t.scalar_type() != torch::kBFloat16) return ln->forward(t);
    const auto& o = ln->options;
    return torch::layer_norm(t.to(torch::kFloat), o.normalized_shape(), ln->weight.to(torch::kFloat),
                             ln->bias.to(torch::kFloat), o.eps())
        .to(torch::kBFloat16);
  };

  torch::Tensor x = words + m.position->weight.narrow(0, 0, T);
  if (m.token_type) {
    if (type_ids.defined())
      x = x + m.token_type->forward(type_ids.to(torch::kLong));
    else
      x = x + m.token_type->weight[0];
  }
  x = norm(m.embedding_norm, x);
  if (training && c.dropout > 0) x = model::dropout(x, c.dropout, true);

  // [B,1,1,T]: true where the key is padding. Filled with the dtype's lowest finite value rather
  // than -inf, so a row of only padding softmaxes to uniform instead of NaN (as Hugging Face does).
  // float's lowest would round to -inf in bf16.
  const torch::Tensor padding = (mask == 0).view({B, 1, 1, T});
  // Under bf16 autocast the scores are bf16 while x is still fp32: the fill follows the scores.
  auto lowest = [](const torch::Tensor& t) {
    return t.scalar_type() == torch::kBFloat16 ? static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest())
                                               : std::numeric_limits<float>::lowest();
  };
  const double inv_sqrt_dh = 1.0 / std::sqrt(static_cast<double>(dh));
  auto heads = [&](const torch::Tensor& t) { return t.view({B, T, H, dh}).transpose(1, 2); };  // [B,H,T,dh]

  for (auto& L : m.layers) {
    torch::Tensor q = heads(L.q->forward(x).mul_(inv_sqrt_dh));
    torch::Tensor k = heads(L.k->forward(x));
    torch::Tensor v = heads(L.v->forward(x));
    torch::Tensor scores = torch::matmul(q, k.transpose(-1, -2));  // [B,H,T,T]
    scores.masked_fill_(padding, lowest(scores));
    torch::Tensor weights = torch::softmax(scores, -1);
    if (training && c.attention_dropout > 0) weights = model::dropout(weights, c.attention_dropout, true);
    torch::Tensor context = torch::matmul(weights, v).transpose(1, 2).reshape({B, T, c.dim});
    torch::Tensor attended = L.out->forward(context);
    // BERT drops out the attention output; DistilBERT does not (only the attention weights).
    if (training && c.dropout > 0 && m.token_type) attended = model::dropout(attended, c.dropout, true);
    x = norm(L.attention_norm, attended.add_(x));

    torch::Tensor hidden = L.ffn_in->forward(x);
    if (c.activation == "gelu")
      hidden = torch::gelu(hidden);
    else if (c.activation == "relu")
      hidden = torch::relu(hidden);
    else
      hidden = torch::gelu(hidden, "tanh");
    torch::Tensor ffn = L.ffn_out->forward(hidden);
    if (training && c.dropout > 0) ffn = model::dropout(ffn, c.dropout, true);
    x = norm(L.output_norm, ffn.add_(x));
  }
  // A bf16 encoder hands fp32 to the head and the feature cache, which stay fp32.
  return x.scalar_type() == torch::kFloat ? x : x.to(torch::kFloat);
}

void EncoderImpl::init_weights(uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  // Registration order is fixed, so the same seed draws the same numbers into the same tensors.
  for (auto& item : named_parameters(/*recurse=*/true)) {
    auto& p = item.value();
    if (ends_with(item.key(), "bias"))
      p.zero_();
    else if (p.dim() == 1)  // LayerNorm scale
      p.fill_(1.0);
    else  // Linear and Embedding weights
      p.normal_(0.0, 0.02, generator);
  }
  if (config_.pad_token_id >= 0 && config_.pad_token_id < config_.vocab_size)
    impl_->word->weight[config_.pad_token_id].zero_();
}

StateDict EncoderImpl::hf_state() const {
  StateDict out;
  for (const auto& item : named_parameters(/*recurse=*/true)) out.emplace(item.key(), item.value());
  return out;
}

std::string LoadReport::describe() const {
  std::string s = "loaded " + std::to_string(loaded.size()) + " tensors";
  if (!unexpected.empty()) {
    s += "; ignored " + std::to_string(unexpected.size()) + " non-encoder tensors (";
    for (size_t i = 0; i < unexpected.size() && i < 5; ++i) s += (i ? ", " : "") + unexpected[i];
    s += unexpected.size() > 5 ? ", ...)" : ")";
  }
  if (!missing.empty()) s += "; " + std::to_string(missing.size()) + " missing";
  if (!mis_shaped.empty()) s += "; " + std::to_string(mis_shaped.size()) + " mis-shaped";
  return s;
}

void load_named_tensors(const StateDict& own, const StateDict& tensors, const std::string& source,
                        const std::string& what, const std::string& expected) {
  std::string problems;
  for (const auto& [name, param] : own) {
    const auto it = tensors.find(name);
    if (it == tensors.end() || it->second.sizes() != param.sizes())
      problems += (problems.empty() ? "" : ", ") + std::string(it == tensors.end() ? "missing " : "mis-shaped ") + name;
  }
  if (!problems.empty()) throw InputError({source, 0, 0}, what + " tensors do not fit: " + problems, expected);
  torch::NoGradGuard no_grad;
  for (const auto& [name, param] : own) param.copy_(tensors.at(name).to(param.dtype()));
}

LoadReport EncoderImpl::load_state(const StateDict& tensors, const std::string& source) {
  const StateDict own = hf_state();
  LoadReport report;
  std::map<std::string, torch::Tensor> matched;
  std::set<std::string> seen;  // encoder names the checkpoint has, fitting or not
  for (const auto& [raw_name, tensor] : tensors) {
    const std::string name = canonical_name(raw_name);
    auto it = own.find(name);
    if (it == own.end()) {
      if (!is_known_non_encoder(name))
        spdlog::warn("{}: tensor '{}' is not part of a {} encoder; ignored", source, raw_name, config_.describe());
      report.unexpected.push_back(raw_name);
      continue;
    }
    if (!seen.insert(name).second) {
      report.mis_shaped.push_back(raw_name + " (a second copy of " + name + ")");
      continue;
    }
    if (tensor.sizes() != it->second.sizes() || !tensor.is_floating_point()) {
      report.mis_shaped.push_back(raw_name + " (expected " + shape_str(it->second.sizes()) + " float, found " +
                                  shape_str(tensor.sizes()) + " " + c10::toString(tensor.scalar_type()) + ")");
      continue;
    }
    matched.emplace(name, tensor);
  }
  for (const auto& [name, param] : own)
    if (!seen.count(name)) report.missing.push_back(name);

  if (!report.missing.empty() || !report.mis_shaped.empty()) {
    std::string problem = "checkpoint does not fit a " + config_.describe() + " encoder";
    if (!report.missing.empty()) {
      problem += "; " + std::to_string(report.missing.size()) + " missing: ";
      for (size_t i = 0; i < report.missing.size(); ++i) problem += (i ? ", " : "") + report.missing[i];
    }
    if (!report.mis_shaped.empty()) {
      problem += "; " + std::to_string(report.mis_shaped.size()) + " mis-shaped: ";
      for (size_t i = 0; i < report.mis_shaped.size(); ++i) problem += (i ? ", " : "") + report.mis_shaped[i];
    }
    throw InputError({source, 0, 0}, problem, "every encoder tensor, with its shape, under Hugging Face names");
  }

  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : matched) {
    own.at(name).copy_(tensor);
    report.loaded.push_back(name);
  }
  return report;
}

PretrainedEncoder load_pretrained(const std::string& dir) {
  const fs::path root(dir);
  const fs::path config_path = root / "config.json", weights_path = root / "model.safetensors";
  if (!fs::is_directory(root))
    throw InputError({dir, 0, 0}, "not a directory",
                     "a Hugging Face model directory with config.json and model.safetensors");
  if (!fs::exists(weights_path)) {
    const bool bin = fs::exists(root / "pytorch_model.bin");
    throw InputError({weights_path.string(), 0, 0},
                     bin ? "only pytorch_model.bin is present; pickled weights are not read" : "no model.safetensors",
                     "model.safetensors (convert with safetensors' convert script if needed)");
  }
  const EncoderConfig config = EncoderConfig::from_hf_json(config_path.string());
  check_config_matches_weights(config, read_safetensors_header(weights_path.string()), config_path.string());
  check_fits_in_memory(config, config_path.string());
  PretrainedEncoder out;
  out.dir = dir;
  out.encoder = Encoder(config);
  out.report = out.encoder->load_state(load_safetensors(weights_path.string()), weights_path.string());
  out.weights_sha256 = common::sha256_file(weights_path.string());
  out.encoder->eval();
  return out;
}

void save_pretrained(const Encoder& encoder, const std::string& dir, const std::string& vocab_path) {
  const fs::path root(dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw RunError("cannot create " + dir + ": " + ec.message());
  const auto& config = encoder->config();
  {
    std::ofstream out(root / "config.json", std::ios::binary | std::ios::trunc);
    out << config.to_hf_json().dump(2) << "\n";
    if (!out) throw RunError("cannot write " + (root / "config.json").string());
  }
  const std::string prefix = config.model_type + ".";
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& [name, tensor] : encoder->hf_state()) tensors.emplace(prefix + name, tensor.detach());
  save_safetensors((root / "model.safetensors").string(), tensors, {{"format", "pt"}});
  if (!vocab_path.empty()) {
    if (!fs::exists(vocab_path)) throw InputError({vocab_path, 0, 0}, "vocabulary file not found", "a vocab.txt");
    if (fs::weakly_canonical(vocab_path) != fs::weakly_canonical(root / "vocab.txt")) {
      // The source may be read-only (shared data); the copy must stay writable for the next save.
      fs::remove(root / "vocab.txt", ec);
      fs::copy_file(vocab_path, root / "vocab.txt", ec);
      if (!ec)
        fs::permissions(root / "vocab.txt", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add, ec);
      if (ec) throw RunError("cannot copy " + vocab_path + " to " + dir + ": " + ec.message());
    }
  }
}

TextEncoding encode_text(Encoder encoder, const text::Tokenizer& tokenizer, std::string_view text, int max_len) {
  const int limit = encoder->config().max_position_embeddings;
  if (max_len <= 0 || max_len > limit) max_len = limit;
  TextEncoding out;
  const text::Encoding encoding = tokenizer.encode(text, max_len);
  out.ids = encoding.ids;
  for (int32_t id : out.ids)
    if (id < 0 || id >= encoder->config().vocab_size)
      throw InputError({tokenizer.vocab_path(), 0, 0},
                       "token id " + std::to_string(id) + " is outside the encoder's vocabulary of " +
                           std::to_string(encoder->config().vocab_size),
                       "a vocab.txt that matches the encoder");
  torch::InferenceMode inference;
  const int64_t T = static_cast<int64_t>(out.ids.size());
  torch::Tensor ids = torch::from_blob(out.ids.data(), {1, T}, torch::kInt).to(torch::kLong);
  torch::Tensor mask = torch::ones({1, T}, torch::kLong);
  torch::Tensor types = torch::zeros({1, T}, torch::kLong);
  for (int64_t i = 0; i < T && i < static_cast<int64_t>(encoding.type_ids.size()); ++i)
    types[0][i] = encoding.type_ids[i];
  // On the encoder's device; what comes back is on the host.
  const auto device = encoder->parameters().front().device();
  out.hidden = encoder->forward(ids.to(device), mask.to(device), types.to(device)).cpu();
  out.cls = out.hidden[0][0];
  return out;
}

}  // namespace hecto::model
