#pragma once
// What a pretraining step optimises after the word vectors are in: masked LM (BERT's) or
// replaced-token detection (ELECTRA's discriminator task, model/rtd.h). Each objective owns its
// head and its corruption of the batch; pretrain.cpp owns the loop, the batches and the budget.
#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "model/encoder.h"
#include "pretrain/recipe.h"
#include "runtime/precision.h"

namespace hecto::pretrain {

// One batch of packed sequences, trimmed to its longest row.
struct PretrainBatch {
  torch::Tensor ids;        // [B,T] int64
  torch::Tensor attention;  // [B,T] int64, 1 = token, 0 = padding
  torch::Tensor special;    // [B,T] bool: [CLS], [SEP] and padding, which are never corrupted
};

struct Vocabulary {
  int64_t size = 0, pad = 0, cls = 0, sep = 0, mask = 0;
};

class Objective {
 public:
  virtual ~Objective() = default;
  // The loss of one batch; undefined when the corruption chose no position.
  virtual torch::Tensor loss(model::Encoder& encoder, const PretrainBatch& batch, at::Generator& generator,
                             const runtime::Execution& exec) = 0;
  virtual std::vector<torch::Tensor> head_parameters() const = 0;
  // The head's tensors under Hugging Face names: what checkpoints and the output directory hold.
  virtual model::StateDict head_state() const = 0;
  virtual void load_head(const model::StateDict& tensors, const std::string& source) = 0;
  virtual void to(const torch::Device& device) = 0;
  virtual void train() = 0;
};

// The recipe's objective ("mlm" or "rtd"), its head initialised from the recipe's seed.
// `corpus_ids` (the packed corpus) gives replaced-token detection its unigram distribution.
std::unique_ptr<Objective> make_objective(const PretrainConfig& config, const model::Encoder& encoder,
                                          const Vocabulary& vocab, const torch::Tensor& corpus_ids);

}  // namespace hecto::pretrain
