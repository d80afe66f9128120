#include "model/encoder_config.h"

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace hecto::model {

using common::InputError;
using nlohmann::json;

namespace {

// Typed reads of one config key; every failure names the file and the key. A key that is absent
// takes Hugging Face's default (the constructor defaults of DistilBertConfig and BertConfig), as
// from_pretrained does: a config.json written by transformers omits keys equal to the default
// when saved with use_diff, and hand-written ones often do.
class KeyReader {
 public:
  KeyReader(const json& j, const std::string& source) : j_(j), source_(source) {}

  const json& at(const std::string& key, const std::string& expected) const {
    auto it = j_.find(key);
    if (it == j_.end()) throw InputError({source_, 0, 0}, "missing key \"" + key + "\"", expected);
    return *it;
  }

  int positive_int(const std::string& key, int fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > (1 << 30))
      throw InputError({source_, 0, 0}, "key \"" + key + "\" is " + v.dump(), "a positive integer");
    return v.get<int>();
  }

  int non_negative_int(const std::string& key, int fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > (1 << 30))
      throw InputError({source_, 0, 0}, "key \"" + key + "\" is " + v.dump(), "a non-negative integer");
    return v.get<int>();
  }

  double probability(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() >= 1)
      throw InputError({source_, 0, 0}, "key \"" + key + "\" is " + v.dump(), "a number in [0, 1)");
    return v.get<double>();
  }

  double positive_number(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number() || v.get<double>() <= 0)
      throw InputError({source_, 0, 0}, "key \"" + key + "\" is " + v.dump(), "a positive number");
    return v.get<double>();
  }

  std::string activation(const std::string& key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_string() || (v != "gelu" && v != "gelu_new" && v != "gelu_pytorch_tanh" && v != "relu"))
      throw InputError({source_, 0, 0}, "key \"" + key + "\" is " + v.dump(), "\"gelu\", \"gelu_new\" or \"relu\"");
    return v.get<std::string>();
  }

  // pad_token_id may also be null (0 for the BERT vocabularies).
  int pad_token_id() const {
    auto it = j_.find("pad_token_id");
    if (it == j_.end() || it->is_null()) return 0;
    return non_negative_int("pad_token_id", 0);
  }

  bool has(const std::string& key) const { return j_.contains(key); }

 private:
  const json& j_;
  const std::string& source_;
};

void validate(const EncoderConfig& c, const std::string& source) {
  if (c.dim % c.n_heads != 0)
    throw InputError({source, 0, 0},
                     "dimension " + std::to_string(c.dim) + " is not divisible by the " + std::to_string(c.n_heads) +
                         " attention heads",
                     "dim % n_heads == 0");
  if (c.pad_token_id >= c.vocab_size)
    throw InputError({source, 0, 0},
                     "pad_token_id " + std::to_string(c.pad_token_id) + " is outside the vocabulary of " +
                         std::to_string(c.vocab_size),
                     "pad_token_id < vocab_size");
}

}  // namespace

EncoderConfig EncoderConfig::distilbert_base() { return EncoderConfig{}; }

EncoderConfig EncoderConfig::from_hf_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot read the encoder config", "a Hugging Face config.json");
  std::stringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large
    throw InputError({path, 0, 0}, std::string("not valid JSON: ") + e.what(), "a Hugging Face config.json");
  }
  return from_json(j, path);
}

EncoderConfig EncoderConfig::from_json(const json& j, const std::string& source) {
  if (!j.is_object()) throw InputError({source, 0, 0}, "the config is not a JSON object", "a Hugging Face config.json");
  KeyReader r(j, source);
  const json& type = r.at("model_type", "\"distilbert\" or \"bert\"");
  EncoderConfig c;
  // The defaults below are transformers' (DistilBertConfig.__init__, BertConfig.__init__).
  if (type == "distilbert") {
    c.model_type = "distilbert";
    c.dim = r.positive_int("dim", 768);
    c.n_layers = r.positive_int("n_layers", 6);
    c.n_heads = r.positive_int("n_heads", 12);
    c.hidden_dim = r.positive_int("hidden_dim", 4 * 768);
    c.vocab_size = r.positive_int("vocab_size", 30522);
    c.max_position_embeddings = r.positive_int("max_position_embeddings", 512);
    c.activation = r.activation("activation", "gelu");
    c.dropout = r.probability("dropout", 0.1);
    c.attention_dropout = r.probability("attention_dropout", 0.1);
    c.type_vocab_size = 0;
    c.layer_norm_eps = 1e-12;  // fixed in Hugging Face's DistilBERT
    if (r.has("sinusoidal_pos_embds")) {
      const json& s = j.at("sinusoidal_pos_embds");
      if (!s.is_boolean()) throw InputError({source, 0, 0}, "key \"sinusoidal_pos_embds\" is " + s.dump(), "false");
      if (s.get<bool>())
        throw InputError({source, 0, 0}, "sinusoidal position embeddings are not supported",
                         "\"sinusoidal_pos_embds\": false (learned positions)");
    }
  } else if (type == "bert") {
    c.model_type = "bert";
    c.dim = r.positive_int("hidden_size", 768);
    c.n_layers = r.positive_int("num_hidden_layers", 12);
    c.n_heads = r.positive_int("num_attention_heads", 12);
    c.hidden_dim = r.positive_int("intermediate_size", 3072);
    c.vocab_size = r.positive_int("vocab_size", 30522);
    c.max_position_embeddings = r.positive_int("max_position_embeddings", 512);
    c.type_vocab_size = r.positive_int("type_vocab_size", 2);
    c.activation = r.activation("hidden_act", "gelu");
    c.dropout = r.probability("hidden_dropout_prob", 0.1);
    c.attention_dropout = r.probability("attention_probs_dropout_prob", 0.1);
    c.layer_norm_eps = r.positive_number("layer_norm_eps", 1e-12);
    if (r.has("position_embedding_type") && j.at("position_embedding_type") != "absolute")
      throw InputError({source, 0, 0},
                       "position_embedding_type " + j.at("position_embedding_type").dump() + " is not supported",
                       "\"absolute\"");
  } else {
    throw InputError({source, 0, 0}, "key \"model_type\" is " + type.dump(), "\"distilbert\" or \"bert\"");
  }
  c.pad_token_id = r.pad_token_id();
  validate(c, source);
  return c;
}

json EncoderConfig::to_hf_json() const {
  json j;
  if (model_type == "bert") {
    j["architectures"] = {"BertForMaskedLM"};
    j["attention_probs_dropout_prob"] = attention_dropout;
    j["hidden_act"] = activation;
    j["hidden_dropout_prob"] = dropout;
    j["hidden_size"] = dim;
    j["initializer_range"] = 0.02;
    j["intermediate_size"] = hidden_dim;
    j["layer_norm_eps"] = layer_norm_eps;
    j["max_position_embeddings"] = max_position_embeddings;
    j["model_type"] = "bert";
    j["num_attention_heads"] = n_heads;
    j["num_hidden_layers"] = n_layers;
    j["pad_token_id"] = pad_token_id;
    j["position_embedding_type"] = "absolute";
    j["type_vocab_size"] = type_vocab_size;
    j["vocab_size"] = vocab_size;
  } else {
    j["activation"] = activation;
    j["architectures"] = {"DistilBertForMaskedLM"};
    j["attention_dropout"] = attention_dropout;
    j["dim"] = dim;
    j["dropout"] = dropout;
    j["hidden_dim"] = hidden_dim;
    j["initializer_range"] = 0.02;
    j["max_position_embeddings"] = max_position_embeddings;
    j["model_type"] = "distilbert";
    j["n_heads"] = n_heads;
    j["n_layers"] = n_layers;
    j["pad_token_id"] = pad_token_id;
    j["qa_dropout"] = 0.1;
    j["seq_classif_dropout"] = 0.2;
    j["sinusoidal_pos_embds"] = false;
    j["tie_weights_"] = true;
    j["vocab_size"] = vocab_size;
  }
  return j;
}

int64_t EncoderConfig::parameter_count() const {
  const int64_t d = dim, f = hidden_dim;
  const int64_t embeddings = (int64_t(vocab_size) + max_position_embeddings + type_vocab_size) * d + 2 * d;
  const int64_t attention = 4 * (d * d + d);
  const int64_t ffn = d * f + f + f * d + d;
  const int64_t norms = 2 * 2 * d;
  return embeddings + n_layers * (attention + ffn + norms);
}

std::string EncoderConfig::describe() const {
  return model_type + " dim " + std::to_string(dim) + " x " + std::to_string(n_layers) + " layers, " +
         std::to_string(n_heads) + " heads, ffn " + std::to_string(hidden_dim);
}

}  // namespace hecto::model
