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

int auto_jobs(int cores, const std::vector<Config>& cells, int64_t memory_bytes) {
  if (cells.empty()) return 1;
  int64_t largest = 0;
  for (const auto& c : cells) largest = std::max(largest, estimated_cell_bytes(c));
  const int64_t by_memory = largest > 0 ? (memory_bytes / 10 * 8) / largest : cores;
  const int64_t jobs = std::min<int64_t>({cores, static_cast<int64_t>(cells.size()), by_memory});
  return static_cast<int>(std::max<int64_t>(1, jobs));
}

}  // namespace hecto::runner
