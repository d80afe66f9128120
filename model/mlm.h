#pragma once
// Masked-language-model pieces for pretraining an Encoder: BERT's token masking and the
// prediction head of Hugging Face's DistilBertForMaskedLM, with its parameter names
// (vocab_transform, vocab_layer_norm, vocab_projector) so a checkpoint written here reads like
// one of theirs. The decoder weight is tied to the encoder's word embeddings, as in DistilBERT,
// so the head owns only its bias.
#include <torch/torch.h>

#include <cstdint>

#include "model/encoder.h"

namespace hecto::model {

// Label value cross_entropy ignores: positions that are not predicted.
inline constexpr int64_t kIgnoreLabel = -100;

struct MaskedTokens {
  torch::Tensor inputs;  // ids with the chosen positions corrupted
  torch::Tensor labels;  // original id where chosen, kIgnoreLabel elsewhere
};

// BERT's corruption (as Hugging Face's DataCollatorForLanguageModeling): each position whose
// `never_mask` is false is chosen with probability `prob`; of the chosen, 80% become mask_id,
// 10% a uniformly random id in [0, vocab_size), 10% stay as they are. never_mask [B,T] bool
// marks special tokens and padding. All randomness comes from `generator`.
MaskedTokens mask_tokens(const torch::Tensor& ids, const torch::Tensor& never_mask, int64_t vocab_size, int64_t mask_id,
                         torch::Generator& generator, double prob = 0.15);

class MlmHeadImpl : public torch::nn::Module {
 public:
  MlmHeadImpl(int64_t dim, int64_t vocab_size, double layer_norm_eps = 1e-12);

  // hidden [..., dim] -> logits [..., vocab]: dense, GELU, LayerNorm, then hidden . E^T + bias
  // with E the (tied) word-embedding matrix [vocab, dim].
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& word_embeddings);

  // Hugging Face's initialisation: normal(0, 0.02) weight, zero biases, LayerNorm 1/0.
  void init_weights(uint64_t seed);
  // vocab_transform.{weight,bias}, vocab_layer_norm.{weight,bias}, vocab_projector.bias.
  StateDict hf_state() const;
  // Copies those five tensors in; throws InputError naming `source` when one is missing or mis-shaped.
  void load_state(const StateDict& tensors, const std::string& source);

 private:
  torch::nn::Linear vocab_transform{nullptr};
  torch::nn::LayerNorm vocab_layer_norm{nullptr};
  torch::Tensor vocab_projector_bias;
};
TORCH_MODULE(MlmHead);

// The encoder's word-embedding parameter itself (not a copy), for tying the MLM decoder to it.
// Throws RunError if the encoder exposes no such parameter.
torch::Tensor word_embedding_parameter(const Encoder& encoder);

}  // namespace hecto::model
