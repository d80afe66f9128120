#include "model/encoder_fit.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>

#include "common/error.h"

namespace hecto::model {

namespace {

std::string shape_text(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// Tensor names without DistilBertForMaskedLM's or BERT's prefix.
std::map<std::string, std::vector<int64_t>> shapes_by_name(const SafetensorsHeader& weights) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& t : weights.tensors) {
    std::string name = t.name;
    for (const char* prefix : {"distilbert.", "bert."})
      if (name.rfind(prefix, 0) == 0) name = name.substr(std::string(prefix).size());
    out[name] = t.shape;
  }
  return out;
}

std::string format_gb(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  return buf;
}

}  // namespace

void check_config_matches_weights(const EncoderConfig& c, const SafetensorsHeader& weights,
                                  const std::string& config_path) {
  const auto shapes = shapes_by_name(weights);
  const auto expect = [&](const std::string& tensor, size_t axis, int64_t configured, const std::string& key) {
    const auto it = shapes.find(tensor);
    if (it == shapes.end() || it->second.size() <= axis || it->second[axis] == configured) return;
    throw common::InputError(
        {config_path},
        key + " = " + std::to_string(configured) + " but the weights' " + tensor + " is " + shape_text(it->second),
        "a config.json that describes these weights");
  };
  const bool bert = c.model_type == "bert";
  expect("embeddings.word_embeddings.weight", 0, c.vocab_size, "vocab_size");
  expect("embeddings.word_embeddings.weight", 1, c.dim, bert ? "hidden_size" : "dim");
  expect("embeddings.position_embeddings.weight", 0, c.max_position_embeddings, "max_position_embeddings");
  const std::string first_ffn =
      bert ? "encoder.layer.0.intermediate.dense.weight" : "transformer.layer.0.ffn.lin1.weight";
  expect(first_ffn, 0, c.hidden_dim, bert ? "intermediate_size" : "hidden_dim");

  const std::regex layer(bert ? R"(^encoder\.layer\.(\d+)\.)" : R"(^transformer\.layer\.(\d+)\.)");
  int64_t layers = 0;
  for (const auto& [name, shape] : shapes) {
    std::smatch m;
    if (std::regex_search(name, m, layer)) layers = std::max<int64_t>(layers, std::stoll(m[1]) + 1);
  }
  if (layers > 0 && layers != c.n_layers)
    throw common::InputError({config_path},
                             std::string(bert ? "num_hidden_layers" : "n_layers") + " = " + std::to_string(c.n_layers) +
                                 " but the weights hold " + std::to_string(layers) + " layers",
                             "a config.json that describes these weights");
}

double encoder_parameter_bytes(const EncoderConfig& c) {
  const double d = c.dim, f = c.hidden_dim;
  const double embeddings =
      (static_cast<double>(c.vocab_size) + c.max_position_embeddings + c.type_vocab_size) * d + 2 * d;
  const double layer = 4 * (d * d + d) + (d * f + f + f * d + d) + 4 * d;
  return 4.0 * (embeddings + static_cast<double>(c.n_layers) * layer);
}

void check_fits_in_memory(const EncoderConfig& c, const std::string& source, double memory_bytes) {
  if (memory_bytes <= 0)
    memory_bytes = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  const double needed = encoder_parameter_bytes(c);
  if (needed <= 0.8 * memory_bytes) return;
  throw common::InputError({source},
                           "a " + c.describe() + " encoder needs " + format_gb(needed) +
                               " for its weights alone; this machine has " + format_gb(memory_bytes),
                           "an encoder whose weights fit in 80% of memory");
}

}  // namespace hecto::model
