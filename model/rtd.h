#pragma once
// Replaced-token detection for pretraining an Encoder: ELECTRA's discriminator task (Clark et
// al., 2020), with the replacements drawn from the corpus' unigram distribution instead of a
// trained generator. The encoder sees every token of the input and says for each whether it is
// the original, so every token carries a loss (masked LM learns from the chosen 15% only), and
// the head is a dense layer and one logit, not a product with the 30,522-entry vocabulary.
// The head's parameter names follow Hugging Face's ElectraDiscriminatorPredictions
// (discriminator_predictions.dense / .dense_prediction).
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/encoder.h"

namespace hecto::model {

struct ReplacedTokens {
  torch::Tensor inputs;  // ids with the chosen positions replaced by unigram draws
  torch::Tensor labels;  // float 1 where inputs differ from ids (a draw of the original id counts as original)
};

// Each position whose `never_replace` is false is chosen with probability `prob` and receives
// an id drawn from `unigram` (non-negative weights over the vocabulary). All randomness comes
// from `generator`.
ReplacedTokens replace_tokens(const torch::Tensor& ids, const torch::Tensor& never_replace,
                              const torch::Tensor& unigram, torch::Generator& generator, double prob = 0.15);

// Token counts of `ids` over a vocabulary of `vocab_size`, with the `excluded` ids (special
// tokens, padding) at zero: the distribution replace_tokens draws from.
torch::Tensor unigram_weights(const torch::Tensor& ids, int64_t vocab_size, const std::vector<int64_t>& excluded);

class RtdHeadImpl : public torch::nn::Module {
 public:
  explicit RtdHeadImpl(int64_t dim);
  // hidden [..., dim] -> logits [...]: dense, GELU, dense_prediction to one logit per token.
  torch::Tensor forward(const torch::Tensor& hidden);
  // Hugging Face's initialisation: normal(0, 0.02) weights, zero biases.
  void init_weights(uint64_t seed);
  // discriminator_predictions.{dense,dense_prediction}.{weight,bias}
  StateDict hf_state() const;
  // Copies those four tensors in; throws InputError naming `source` when one is missing or mis-shaped.
  void load_state(const StateDict& tensors, const std::string& source);

 private:
  torch::nn::Linear dense{nullptr}, dense_prediction{nullptr};
};
TORCH_MODULE(RtdHead);

}  // namespace hecto::model
