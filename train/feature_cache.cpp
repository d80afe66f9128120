#include "train/feature_cache.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <numeric>

#include "common/sha256.h"
#include "model/batch.h"

namespace hecto::train {

namespace fs = std::filesystem;

PaddedFeatures gather_features(const FeatureSet& set, const std::vector<int64_t>& indices, int pad_to) {
  const auto* off = set.offsets.data_ptr<int64_t>();
  int64_t longest = 0;
  for (auto i : indices) longest = std::max(longest, off[i + 1] - off[i]);
  int64_t T = std::max<int64_t>(longest, pad_to);
  const int64_t B = static_cast<int64_t>(indices.size());
  PaddedFeatures out;
  out.hidden = torch::zeros({B, T, set.dim()}, torch::kFloat32);
  out.mask = torch::zeros({B, T}, torch::kInt64);
  for (int64_t b = 0; b < B; ++b) {
    const int64_t begin = off[indices[b]], len = off[indices[b] + 1] - begin;
    out.hidden[b].narrow(0, 0, len).copy_(set.features.narrow(0, begin, len));
    out.mask[b].narrow(0, 0, len).fill_(1);
  }
  return out;
}

FeatureSet encode_features(model::Encoder& encoder, const std::vector<text::Encoding>& encodings,
                           int32_t pad_id, int batch_size) {
  const auto start = std::chrono::steady_clock::now();
  const int64_t n = static_cast<int64_t>(encodings.size());
  std::vector<int64_t> offsets(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + static_cast<int64_t>(encodings[i].ids.size());
  const int64_t dim = encoder->config().dim;
  FeatureSet set;
  set.features = torch::empty({offsets[n], dim}, torch::kFloat16);
  set.offsets = torch::tensor(offsets, torch::kInt64);

  // Longest first: similar lengths share a batch, so padding costs little.
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return encodings[a].ids.size() > encodings[b].ids.size(); });
  const bool was_training = encoder->is_training();
  encoder->eval();
  torch::InferenceMode guard;
  for (int64_t s = 0; s < n; s += batch_size) {
    const int64_t e = std::min<int64_t>(n, s + batch_size);
    std::vector<const text::Encoding*> batch;
    for (int64_t k = s; k < e; ++k) batch.push_back(&encodings[order[k]]);
    auto tb = model::pad_batch(batch, pad_id);
    auto hidden = encoder->forward(tb.ids, tb.mask, tb.type_ids).to(torch::kFloat16);
    for (int64_t k = s; k < e; ++k) {
      const int64_t i = order[k];
      const int64_t len = offsets[i + 1] - offsets[i];
      set.features.narrow(0, offsets[i], len).copy_(hidden[k - s].narrow(0, 0, len));
    }
  }
  if (was_training) encoder->train();
  set.encode_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return set;
}

FeatureSet cached_features(model::Encoder& encoder, const std::string& encoder_identity,
                           const std::vector<text::Encoding>& encodings, int32_t pad_id,
                           const std::string& cache_dir, int batch_size) {
  if (cache_dir.empty()) return encode_features(encoder, encodings, pad_id, batch_size);
  common::Sha256 key;
  key.update("hecto-features-v1\n").update(encoder_identity).update("\n");
  for (const auto& e : encodings) {
    key.update(std::string_view(reinterpret_cast<const char*>(e.ids.data()), e.ids.size() * sizeof(int32_t)));
    key.update(std::string_view(reinterpret_cast<const char*>(e.type_ids.data()), e.type_ids.size()));
    key.update("|");
  }
  const fs::path path = fs::path(cache_dir) / (key.hex().substr(0, 32) + ".pt");
  if (fs::exists(path)) {
    try {
      std::vector<torch::Tensor> parts;
      torch::load(parts, path.string());
      if (parts.size() == 2 && parts[1].numel() == static_cast<int64_t>(encodings.size()) + 1 &&
          parts[0].size(1) == encoder->config().dim) {
        FeatureSet set{parts[0], parts[1], true, 0.0};
        spdlog::debug("feature cache hit: {}", path.string());
        return set;
      }
      spdlog::warn("feature cache {} does not match its key; recomputing", path.string());
    } catch (const std::exception& e) {
      spdlog::warn("feature cache {} is unreadable ({}); recomputing", path.string(), e.what());
    }
  }
  FeatureSet set = encode_features(encoder, encodings, pad_id, batch_size);
  fs::create_directories(cache_dir);
  // Write beside, then rename: a reader (or a killed writer) never sees half a file.
  const fs::path tmp = path.string() + ".tmp." + std::to_string(getpid());
  torch::save(std::vector<torch::Tensor>{set.features, set.offsets}, tmp.string());
  fs::rename(tmp, path);
  spdlog::info("encoded {} examples in {:.1f}s -> {}", encodings.size(), set.encode_seconds, path.string());
  return set;
}

}  // namespace hecto::train
