#include "pretrain/objective.h"

#include "model/mlm.h"
#include "model/rtd.h"

namespace hecto::pretrain {

namespace {

// What every objective does with its head: the optimiser, checkpoints and devices see it whole.
template <typename Head>
class WithHead : public Objective {
 public:
  std::vector<torch::Tensor> head_parameters() const override { return head_->parameters(); }
  model::StateDict head_state() const override { return head_->hf_state(); }
  void load_head(const model::StateDict& t, const std::string& source) override { head_->load_state(t, source); }
  void to(const torch::Device& device) override { head_->to(device); }
  void train() override { head_->train(); }

 protected:
  explicit WithHead(Head head) : head_(std::move(head)) {}

  // The encoder's states for the corrupted inputs, under the run's autocast.
  static torch::Tensor encode(model::Encoder& encoder, const torch::Tensor& inputs, const torch::Tensor& attention,
                              const runtime::Execution& exec) {
    const runtime::AutocastScope autocast(exec.device, exec.numerics);
    return encoder->forward(inputs.to(exec.device.device), attention.to(exec.device.device));
  }

  Head head_;
};

// BERT's masked LM: predict the chosen positions only (the vocabulary product is the costliest
// part of a step), with the decoder tied to the encoder's word embeddings.
class MaskedLm : public WithHead<model::MlmHead> {
 public:
  MaskedLm(const PretrainConfig& c, const model::Encoder& encoder, const Vocabulary& vocab)
      : WithHead(model::MlmHead(c.dim, vocab.size, encoder->config().layer_norm_eps)),
        word_embeddings_(model::word_embedding_parameter(encoder)),
        vocab_(vocab),
        prob_(c.mask_prob) {
    head_->init_weights(c.seed + 2);
  }

  torch::Tensor loss(model::Encoder& encoder, const PretrainBatch& b, at::Generator& generator,
                     const runtime::Execution& exec) override {
    const auto masked = model::mask_tokens(b.ids, b.special, vocab_.size, vocab_.mask, generator, prob_);
    const auto chosen = masked.labels != model::kIgnoreLabel;
    if (!chosen.any().item<bool>()) return {};
    const auto& device = exec.device.device;
    const auto hidden = encode(encoder, masked.inputs, b.attention, exec);
    const auto logits = head_->forward(hidden.index({chosen.to(device)}), word_embeddings_);
    return torch::nn::functional::cross_entropy(logits, masked.labels.index({chosen}).to(device));
  }

 private:
  torch::Tensor word_embeddings_;
  Vocabulary vocab_;
  double prob_;
};

// ELECTRA's discriminator task against unigram replacements: a loss on every token.
class ReplacedTokenDetection : public WithHead<model::RtdHead> {
 public:
  ReplacedTokenDetection(const PretrainConfig& c, const Vocabulary& vocab, const torch::Tensor& corpus_ids)
      : WithHead(model::RtdHead(c.dim)),
        unigram_(model::unigram_weights(corpus_ids, vocab.size, {vocab.pad, vocab.cls, vocab.sep, vocab.mask})),
        prob_(c.mask_prob) {
    head_->init_weights(c.seed + 2);
  }

  torch::Tensor loss(model::Encoder& encoder, const PretrainBatch& b, at::Generator& generator,
                     const runtime::Execution& exec) override {
    const auto replaced = model::replace_tokens(b.ids, b.special, unigram_, generator, prob_);
    const auto& device = exec.device.device;
    const auto hidden = encode(encoder, replaced.inputs, b.attention, exec);
    const auto tokens = b.attention.to(torch::kBool);
    const auto logits = head_->forward(hidden.index({tokens.to(device)}));
    return torch::nn::functional::binary_cross_entropy_with_logits(logits, replaced.labels.index({tokens}).to(device));
  }

 private:
  torch::Tensor unigram_;
  double prob_;
};

}  // namespace

std::unique_ptr<Objective> make_objective(const PretrainConfig& config, const model::Encoder& encoder,
                                          const Vocabulary& vocab, const torch::Tensor& corpus_ids) {
  if (config.objective == "rtd") return std::make_unique<ReplacedTokenDetection>(config, vocab, corpus_ids);
  return std::make_unique<MaskedLm>(config, encoder, vocab);
}

}  // namespace hecto::pretrain
