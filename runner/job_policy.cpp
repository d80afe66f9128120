#include "runner/job_policy.h"

#include <algorithm>

#include "train/encoder_factory.h"

namespace hecto::runner {

using experiment::Config;
using train::estimated_shape;

int64_t estimated_cell_bytes(const Config& c) {
  if (c.model.kind != experiment::ModelKind::Hecto) return int64_t{1} << 29;  // a floor: TF-IDF rows, no encoder
  const auto shape = estimated_shape(c.encoder);
  const int64_t dim = shape.dim, layers = shape.n_layers, heads = shape.n_heads;
  const int64_t params = shape.parameter_count();
  const bool finetuned = c.encoder.mode != experiment::EncoderMode::Frozen;
  // Weights always; gradients and two AdamW moments when fine-tuned.
  int64_t bytes = params * 4 * (finetuned ? 4 : 1);
  // Activations of one layer for `batch` sequences: about 20 floats per token and dim, plus the
  // attention maps. Training through the encoder keeps every layer's; evaluation only one.
  auto layer_bytes = [&](int64_t batch) {
    const int64_t t = c.data.max_len;
    return batch * t * dim * 20 * 4 + batch * heads * t * t * 4 * 3;
  };
  bytes += std::max(layer_bytes(c.train.batch_size) * (finetuned ? layers : 1), layer_bytes(c.train.eval_batch_size));
  return bytes + (int64_t{1} << 29);
}

std::string memory_shape(const nlohmann::json& config) {
  static const char* const kPaths[] = {
      "/encoder/source", "/encoder/path",       "/encoder/dim",          "/encoder/n_layers", "/encoder/n_heads",
      "/encoder/hidden_dim", "/encoder/mode",   "/data/task",            "/data/framing",     "/data/train_file",
      "/data/train_size", "/data/eval_size",    "/data/max_len",         "/train/batch_size", "/train/eval_batch_size",
      "/train/padding",  "/train/precision",    "/train/feature_cache",  "/model/kind",       "/model/experts",
      "/model/proj_dim", "/model/expert_hidden", "/model/gate_hidden",   "/model/top_k"};
  nlohmann::json key = nlohmann::json::object();
  for (const char* path : kPaths) {
    const nlohmann::json::json_pointer p(path);
    key[path] = config.contains(p) ? config.at(p) : nlohmann::json();
  }
  return key.dump();
}

int64_t planned_cell_bytes(const Config& c, const MeasuredPeaks& measured) {
  if (!measured.empty()) {
    const auto it = measured.find(memory_shape(c.to_json()));
    if (it != measured.end() && it->second > 0) return it->second + it->second / 10;
  }
  return estimated_cell_bytes(c);
}

int auto_jobs(int cores, const std::vector<Config>& cells, int64_t memory_bytes, const MeasuredPeaks& measured) {
  if (cells.empty()) return 1;
  int64_t largest = 0;
  for (const auto& c : cells) largest = std::max(largest, planned_cell_bytes(c, measured));
  const int64_t by_memory = largest > 0 ? (memory_bytes / 10 * 8) / largest : cores;
  const int64_t jobs = std::min<int64_t>({cores, static_cast<int64_t>(cells.size()), by_memory});
  return static_cast<int>(std::max<int64_t>(1, jobs));
}

}  // namespace hecto::runner
