#include "model/hecto_head.h"

#include <cmath>
#include <sstream>

#include "common/error.h"

namespace hecto::model {

using common::InputError;
using torch::Tensor;

namespace {

// How an expert reads the token sequence: not at all (FFNN), or padded with its mask (GRU,
// Transformer). The sequence view is only built when an expert needs it, so FFNN-only layouts
// never pay for the 768->256 projection of every token.
enum class SequenceForm { None, Padded };

struct ExpertInput {
  Tensor cls;           // [n, proj_dim]
  Tensor padded, mask;  // [n, T, proj_dim] projected tokens and [n, T] (Padded); T = longest of the n
};

class ExpertModule : public torch::nn::Module {
 public:
  virtual Tensor run(const ExpertInput& in) = 0;  // [n, n_outputs]
  virtual SequenceForm form() const = 0;
};

class FfnnExpert : public ExpertModule {
 public:
  FfnnExpert(int in, int hidden_dim, int out_dim)
      : hidden(register_module("hidden", torch::nn::Linear(in, hidden_dim))),
        out(register_module("out", torch::nn::Linear(hidden_dim, out_dim))) {}
  Tensor run(const ExpertInput& in) override { return out(torch::tanh(hidden(in.cls))); }
  SequenceForm form() const override { return SequenceForm::None; }

 private:
  torch::nn::Linear hidden, out;
};

class GruExpert : public ExpertModule {
 public:
  GruExpert(int in, int hidden_dim, int out_dim)
      : rnn(register_module("rnn", torch::nn::GRU(torch::nn::GRUOptions(in, hidden_dim)))),
        out(register_module("out", torch::nn::Linear(hidden_dim, out_dim))) {}
  Tensor run(const ExpertInput& in) override {
    // The GRU runs over the padded rows and each row reads its output at its last valid token:
    // the state a packed sequence would end in (a forward GRU never looks ahead), at half the
    // cost on CPU, where LibTorch 1.13 projects a padded sequence's inputs in one product but a
    // packed one's step by step (15 vs 7 ms for a step's forward and backward, 8 rows x 50).
    const Tensor outputs = std::get<0>(rnn->forward(in.padded.transpose(0, 1)));  // [T, n, hidden]
    const Tensor last = (in.mask != 0).sum(1).clamp_min(1).sub(1).to(torch::kInt64);
    const Tensor rows = torch::arange(outputs.size(1), last.options());
    return out(outputs.index({last, rows}));
  }
  SequenceForm form() const override { return SequenceForm::Padded; }

 private:
  torch::nn::GRU rnn;
  torch::nn::Linear out;
};

// One pre-LN Transformer block over the projected sequence (self-attention with `heads` heads,
// then a GELU feed-forward of width ffn), mean-pooled over the valid tokens, then -> C. The
// question it answers: does the sequence expert's edge need a GRU, or any sequence model?
class TransformerExpert : public ExpertModule {
 public:
  TransformerExpert(int dim, int ffn, int out_dim, int heads)
      : heads_(heads),
        norm1(register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})))),
        qkv(register_module("qkv", torch::nn::Linear(dim, 3 * dim))),
        proj(register_module("proj", torch::nn::Linear(dim, dim))),
        norm2(register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})))),
        ffn_in(register_module("ffn_in", torch::nn::Linear(dim, ffn))),
        ffn_out(register_module("ffn_out", torch::nn::Linear(ffn, dim))),
        out(register_module("out", torch::nn::Linear(dim, out_dim))) {}

  Tensor run(const ExpertInput& in) override {
    const Tensor& x = in.padded;  // [n, T, d]
    const int64_t n = x.size(0), T = x.size(1), d = x.size(2), dh = d / heads_;
    const Tensor valid = in.mask != 0;
    auto split = [&](const Tensor& t) { return t.view({n, T, heads_, dh}).transpose(1, 2); };  // [n,h,T,dh]
    const auto parts = qkv(norm1(x)).chunk(3, 2);
    Tensor scores = torch::matmul(split(parts[0]), split(parts[1]).transpose(-1, -2)) / std::sqrt(double(dh));
    scores = scores.masked_fill(valid.logical_not().view({n, 1, 1, T}), -1e9);
    const Tensor context =
        torch::matmul(torch::softmax(scores, -1), split(parts[2])).transpose(1, 2).reshape({n, T, d});
    Tensor h = x + proj(context);
    h = h + ffn_out(torch::gelu(ffn_in(norm2(h))));
    const Tensor w = valid.to(h.scalar_type()).unsqueeze(2);
    return out((h * w).sum(1) / w.sum(1).clamp_min(1.0));
  }
  SequenceForm form() const override { return SequenceForm::Padded; }

 private:
  int64_t heads_;
  torch::nn::LayerNorm norm1{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr};
  torch::nn::LayerNorm norm2{nullptr};
  torch::nn::Linear ffn_in{nullptr}, ffn_out{nullptr}, out{nullptr};
};

// 256 -> 128 -> ReLU -> n_experts (logits; the temperature softmax is applied by the head).
class Gate : public torch::nn::Module {
 public:
  Gate(int in, int hidden_dim, int n_experts)
      : hidden(register_module("hidden", torch::nn::Linear(in, hidden_dim))),
        out(register_module("out", torch::nn::Linear(hidden_dim, n_experts))) {}
  Tensor forward(const Tensor& x) { return out(torch::relu(hidden(x))); }

 private:
  torch::nn::Linear hidden, out;
};

void require(bool ok, const std::string& problem, const std::string& expected) {
  if (!ok) throw InputError({}, problem, expected);
}

std::string shape_of(const Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

void validate(const HectoConfig& c) {
  require(c.input_dim > 0 && c.proj_dim > 0 && c.gate_hidden > 0 && c.expert_hidden > 0,
          "Hecto head dimensions must be positive", "input_dim, proj_dim, gate_hidden, expert_hidden > 0");
  require(!c.experts.empty(), "the Hecto head has no experts", "at least one expert (e.g. ffnn, gru)");
  const int n = static_cast<int>(c.experts.size());
  require(c.top_k >= 1 && c.top_k <= n,
          "top_k = " + std::to_string(c.top_k) + " but the head has " + std::to_string(n) + " expert(s)",
          "1 <= top_k <= number of experts (" + std::to_string(n) + ")");
  require(c.temperature > 0 && std::isfinite(c.temperature), "gate temperature must be a positive number",
          "temperature > 0 (paper: 1.5)");
  if (c.regression)
    require(c.n_outputs == 1, "a regression head must have exactly one output, got " + std::to_string(c.n_outputs),
            "n_outputs = 1 with regression = true");
  else
    require(c.n_outputs >= 2, "a classification head needs at least two classes, got " + std::to_string(c.n_outputs),
            "n_outputs >= 2");
  require(c.lambda_ent >= 0 && c.lambda_div >= 0, "loss weights must not be negative",
          "lambda_ent >= 0 and lambda_div >= 0");
}

// [B, dim]: the mean of the rows of hidden [B, T, dim] that `where` [B, T] marks.
Tensor masked_mean(const Tensor& hidden, const Tensor& where) {
  const Tensor w = where.to(hidden.scalar_type()).unsqueeze(2);
  return (hidden * w).sum(1) / w.sum(1).clamp_min(1.0);
}

// [B, pooled_width(pooling, dim)]: what the gate and FFNN experts read (model/pooling.h).
Tensor pooled_view(const Tensor& hidden, const Tensor& mask, const Tensor& segments, Pooling pooling) {
  switch (pooling) {
    case Pooling::Cls: return hidden.select(1, 0);
    case Pooling::Mean: return masked_mean(hidden, mask != 0);
    case Pooling::Pair: {
      const Tensor valid = mask != 0;
      const Tensor u = masked_mean(hidden, valid.logical_and(segments == 0));
      const Tensor v = masked_mean(hidden, valid.logical_and(segments != 0));
      return torch::cat({(u - v).abs(), u * v}, 1);
    }
  }
  return hidden.select(1, 0);
}

}  // namespace

struct HectoHeadImpl::Impl {
  torch::nn::Linear proj_cls{nullptr};
  torch::nn::Linear proj_seq{nullptr};  // only when some expert reads the sequence
  std::shared_ptr<Gate> gate;
  std::vector<std::shared_ptr<ExpertModule>> experts;
};

HectoHeadImpl::HectoHeadImpl(HectoConfig config) : impl_(std::make_shared<Impl>()), config_(std::move(config)) {
  validate(config_);
  const auto& c = config_;
  // Construction order is fixed (proj_cls, proj_seq, gate, experts in config order), so the same
  // torch seed always gives the same parameters.
  impl_->proj_cls =
      register_module("proj_cls", torch::nn::Linear(pooled_width(c.pooling, c.input_dim), c.proj_dim));
  bool any_sequence = false;
  for (auto kind : c.experts) any_sequence = any_sequence || kind != ExpertKind::FFNN;
  if (any_sequence) impl_->proj_seq = register_module("proj_seq", torch::nn::Linear(c.input_dim, c.proj_dim));
  impl_->gate =
      register_module("gate", std::make_shared<Gate>(c.proj_dim, c.gate_hidden, static_cast<int>(c.experts.size())));
  auto list = register_module("experts", torch::nn::ModuleList());
  for (auto kind : c.experts) {
    std::shared_ptr<ExpertModule> expert;
    switch (kind) {
      case ExpertKind::FFNN: expert = std::make_shared<FfnnExpert>(c.proj_dim, c.expert_hidden, c.n_outputs); break;
      case ExpertKind::GRU: expert = std::make_shared<GruExpert>(c.proj_dim, c.expert_hidden, c.n_outputs); break;
      case ExpertKind::Transformer:
        // Heads of 64 dims and an FFN 4x the width, as BERT's.
        expert = std::make_shared<TransformerExpert>(c.proj_dim, 4 * c.proj_dim, c.n_outputs,
                                                     std::max(1, c.proj_dim / 64));
        break;
    }
    list->push_back(expert);
    impl_->experts.push_back(expert);
  }
}

HectoOutput HectoHeadImpl::forward(const Tensor& hidden, const Tensor& mask, const Tensor& segments) {
  const auto& c = config_;
  require(hidden.defined() && hidden.dim() == 3 && hidden.size(2) == c.input_dim && hidden.size(1) >= 1,
          "Hecto head got hidden states of shape " + (hidden.defined() ? shape_of(hidden) : "undefined"),
          "[batch, tokens >= 1, " + std::to_string(c.input_dim) + "]");
  require(mask.defined() && mask.dim() == 2 && mask.size(0) == hidden.size(0) && mask.size(1) == hidden.size(1),
          "Hecto head got a mask of shape " + (mask.defined() ? shape_of(mask) : "undefined") + " for hidden states " +
              shape_of(hidden),
          "[batch, tokens] matching the hidden states");
  if (c.pooling == Pooling::Pair)
    require(segments.defined() && segments.sizes() == mask.sizes(),
            "the pair view needs each token's segment (0: first sentence, 1: second)",
            "segments [batch, tokens] beside the mask, from a sentence-pair task");
  auto& m = *impl_;
  const int64_t n_experts = static_cast<int64_t>(m.experts.size());

  Tensor cls = m.proj_cls(pooled_view(hidden, mask, segments, c.pooling));
  Tensor gate_logits = m.gate->forward(cls);
  Tensor probs = torch::softmax(gate_logits / c.temperature, 1);

  // The choice itself is discrete: made on detached probabilities, it carries no gradient.
  Tensor soft = probs.detach();
  Tensor topk = std::get<1>(soft.topk(c.top_k, 1, /*largest=*/true, /*sorted=*/true));
  Tensor chosen = torch::zeros_like(soft).scatter_(1, topk, 1.0);
  Tensor picked = soft * chosen;
  Tensor share = picked / picked.sum(1, /*keepdim=*/true);  // top-1: exactly the one-hot choice
  // Straight-through: the value is `share`, the gradient flows into p of the chosen experts only
  // (value of probs - probs.detach() is exactly 0). Unchosen experts contribute nothing in either
  // pass, so sparse and dense dispatch agree in value and in gradient.
  Tensor weights = is_training() ? chosen * (share + (probs - soft)) : share;

  // What an expert reads for `rows` (every row when rows is undefined: dense dispatch, where the
  // sequence view is built once and shared). The rows' view is cut to the longest of them, so
  // the projection and the sequence expert skip columns that are padding in every chosen row.
  Tensor padded_all;
  auto input_for = [&](ExpertModule& expert, const Tensor& rows) {
    const bool all = !rows.defined();
    ExpertInput in{all ? cls : cls.index_select(0, rows), {}, {}};
    if (expert.form() != SequenceForm::Padded) return in;
    if (all) {
      if (!padded_all.defined()) padded_all = m.proj_seq(hidden);
      in.padded = padded_all;
      in.mask = mask;
      return in;
    }
    const Tensor rows_mask = mask.index_select(0, rows);
    const int64_t longest = std::max<int64_t>(1, (rows_mask != 0).sum(1).max().item<int64_t>());
    in.padded = m.proj_seq(hidden.index_select(0, rows).narrow(1, 0, longest));
    in.mask = rows_mask.narrow(1, 0, longest);
    return in;
  };

  const int64_t batch = hidden.size(0);
  Tensor logits = torch::zeros({batch, c.n_outputs}, cls.options());
  if (c.sparse_dispatch) {
    for (int64_t e = 0; e < n_experts; ++e) {
      Tensor rows = chosen.select(1, e).nonzero().select(1, 0);
      if (rows.numel() == 0) continue;  // no samples, no compute, no gradient
      Tensor y = m.experts[e]->run(input_for(*m.experts[e], rows));
      Tensor w = weights.select(1, e).index_select(0, rows).unsqueeze(1);
      logits = logits.index_add(0, rows, y * w);
    }
  } else {
    for (int64_t e = 0; e < n_experts; ++e) {
      Tensor y = m.experts[e]->run(input_for(*m.experts[e], Tensor()));
      logits = logits + y * weights.select(1, e).unsqueeze(1);
    }
  }
  if (c.regression) logits = logits.squeeze(1);
  return HectoOutput{logits, probs, topk, weights, gate_logits};
}

LossParts hecto_loss(const HectoOutput& out, const Tensor& targets, const HectoConfig& config) {
  const int64_t batch = out.gate_probs.size(0);
  require(targets.defined() && targets.dim() == 1 && targets.size(0) == batch,
          "loss targets have shape " + (targets.defined() ? shape_of(targets) : "undefined"),
          "one target per sample: [" + std::to_string(batch) + "]");
  LossParts parts;
  if (config.regression) {
    parts.task = torch::mse_loss(out.logits, targets.to(out.logits.scalar_type()));
  } else {
    require(!targets.is_floating_point(), "classification targets must be class ids",
            "an integer tensor of class ids in [0, " + std::to_string(config.n_outputs) + ")");
    parts.task = torch::nn::functional::cross_entropy(out.logits, targets.to(torch::kInt64));
  }
  const Tensor& p = out.gate_probs;
  parts.entropy = -(p * p.clamp_min(1e-12).log()).sum(1).mean();
  const auto n_experts = static_cast<double>(p.size(1));
  Tensor pbar = p.mean(0);
  parts.diversity = (pbar * (pbar.clamp_min(1e-12) * n_experts).log()).sum();
  parts.total = parts.task + config.lambda_ent * parts.entropy + config.lambda_div * parts.diversity;
  return parts;
}

double mean_gate_entropy_bits(const Tensor& gate_probs) {
  require(gate_probs.defined() && gate_probs.dim() == 2, "gate probabilities must be [batch, experts]",
          "a 2-D tensor of per-sample gate distributions");
  if (gate_probs.size(0) == 0) return 0.0;
  torch::NoGradGuard no_grad;
  Tensor p = gate_probs.detach().to(torch::kFloat64);
  return (-(p * p.clamp_min(1e-12).log2()).sum(1)).mean().item<double>();
}

}  // namespace hecto::model
