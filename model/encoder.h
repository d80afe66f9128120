#pragma once
// DistilBERT (and BERT-family) encoder as a LibTorch module, with parameters named exactly as
// in Hugging Face checkpoints so that model.safetensors loads by name:
//   distilbert: embeddings.word_embeddings.weight, embeddings.position_embeddings.weight,
//     embeddings.LayerNorm.{weight,bias}, transformer.layer.N.attention.{q_lin,k_lin,v_lin,out_lin}.{weight,bias},
//     transformer.layer.N.sa_layer_norm.*, transformer.layer.N.ffn.{lin1,lin2}.*,
//     transformer.layer.N.output_layer_norm.*
//   bert: embeddings.{word,position,token_type}_embeddings, encoder.layer.N.attention.self.{query,key,value},
//     attention.output.{dense,LayerNorm}, intermediate.dense, output.{dense,LayerNorm}
#include <torch/torch.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/encoder_config.h"

namespace hecto::model {

using StateDict = std::map<std::string, torch::Tensor>;

// Copies into each tensor of `own` (a head's hf_state(): names -> its parameters) the tensor of
// the same name in `tensors`. Throws InputError naming `source` and listing every missing or
// mis-shaped tensor before anything is copied: "<what> tensors do not fit: ...", expecting `expected`.
void load_named_tensors(const StateDict& own, const StateDict& tensors, const std::string& source,
                        const std::string& what, const std::string& expected);

// What a weight load found: a load with any missing or mis-shaped tensor throws (nothing is
// silently left random); unexpected tensors (e.g. a task head's) are reported, not fatal.
struct LoadReport {
  std::vector<std::string> loaded, missing, unexpected, mis_shaped;
  std::string describe() const;
};

class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(EncoderConfig config);

  // ids [B,T] int64, mask [B,T] (1 = token, 0 = padding) -> hidden states [B,T,dim], fp32.
  // type_ids is used only by bert-type encoders (zeros when undefined).
  // An encoder cast with ->to(torch::kBFloat16) computes in bf16 (oneDNN's bf16 matmuls, about
  // 2x fp32 on AVX512-BF16 CPUs; for inference, see docs/bench.md) and still returns fp32.
  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& mask, const torch::Tensor& type_ids = {});
  // The two halves of forward: the word-embedding lookup, and everything after it. Integrated
  // gradients (model/attribution.h) walk the path between two word embeddings in between.
  torch::Tensor word_embeddings(const torch::Tensor& ids);  // [B,T] -> [B,T,dim]
  torch::Tensor forward_embedded(const torch::Tensor& words, const torch::Tensor& mask,
                                 const torch::Tensor& type_ids = {});

  const EncoderConfig& config() const { return config_; }

  // Hugging Face's initialisation: normal(0, 0.02) weights, zero biases, LayerNorm 1/0.
  void init_weights(uint64_t seed);
  // Loads a checkpoint's tensors (any dtype -> fp32), accepting names with or without the
  // "distilbert." / "bert." prefix. Throws InputError listing missing and mis-shaped tensors.
  LoadReport load_state(const StateDict& tensors, const std::string& source);
  // This encoder's parameters under Hugging Face names (no prefix).
  StateDict hf_state() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  EncoderConfig config_;
};
TORCH_MODULE(Encoder);

// A Hugging Face-layout directory: config.json, model.safetensors (vocab.txt beside them).
struct PretrainedEncoder {
  Encoder encoder{nullptr};
  std::string dir;
  std::string weights_sha256;  // sha256 of model.safetensors
  LoadReport report;
};
// The encoder comes back in eval mode (no dropout); call ->train() to fine-tune it.
PretrainedEncoder load_pretrained(const std::string& dir);
// Writes config.json, model.safetensors (DistilBERT names) and copies vocab.txt into dir.
// Tensor names carry the "distilbert." ("bert.") prefix, as in Hugging Face's *ForMaskedLM checkpoints.
void save_pretrained(const Encoder& encoder, const std::string& dir, const std::string& vocab_path);

}  // namespace hecto::model
namespace hecto::text {
class Tokenizer;
}  // namespace hecto::text
namespace hecto::model {
// One text through the tokenizer and the encoder in inference mode (`hecto encode`).
struct TextEncoding {
  std::vector<int32_t> ids;
  torch::Tensor hidden;  // [1, T, dim]
  torch::Tensor cls;     // [dim]: the output at [CLS]
};
// max_len <= 0 or above max_position_embeddings: the encoder's max_position_embeddings.
TextEncoding encode_text(Encoder encoder, const text::Tokenizer& tokenizer, std::string_view text, int max_len);

}  // namespace hecto::model
