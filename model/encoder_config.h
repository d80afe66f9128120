#pragma once
// The encoder's architecture, as Hugging Face's config.json describes it. model_type
// "distilbert" uses DistilBERT's keys (dim, n_layers, n_heads, hidden_dim, ...); "bert" uses
// BERT's (hidden_size, num_hidden_layers, ..., type_vocab_size). A missing key takes the default
// of transformers' DistilBertConfig / BertConfig, as from_pretrained does; model_type is required.
#include <nlohmann/json.hpp>
#include <string>

namespace hecto::model {

struct EncoderConfig {
  std::string model_type = "distilbert";  // "distilbert" or "bert"
  int dim = 768;
  int n_layers = 6;
  int n_heads = 12;
  int hidden_dim = 3072;
  int vocab_size = 30522;
  int max_position_embeddings = 512;
  int type_vocab_size = 0;  // bert only (2 for bert-base)
  std::string activation = "gelu";
  double dropout = 0.1;
  double attention_dropout = 0.1;
  double layer_norm_eps = 1e-12;
  int pad_token_id = 0;

  static EncoderConfig distilbert_base();
  // Throws InputError naming the file and key on a wrong-typed key or a missing model_type.
  static EncoderConfig from_hf_json(const std::string& path);
  static EncoderConfig from_json(const nlohmann::json& j, const std::string& source = "<json>");
  nlohmann::json to_hf_json() const;  // in the layout of model_type
  int64_t parameter_count() const;
  std::string describe() const;  // e.g. "distilbert dim 768 x 6 layers, 12 heads, ffn 3072"
};

}  // namespace hecto::model
