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

FeatureSet make_feature_set(torch::Tensor token_features, std::vector<int64_t> offsets) {
  FeatureSet set;
  set.features = torch::cat({token_features, torch::zeros({1, token_features.size(1)}, token_features.options())});
  set.offsets = torch::tensor(offsets, torch::kInt64);
  return set;
}

FeatureSet FeatureSet::to(const torch::Device& device) const {
  FeatureSet moved = *this;
  moved.features = features.to(device);
  return moved;
}

PaddedFeatures gather_features(const FeatureSet& set, const std::vector<int64_t>& indices, int pad_to) {
  const auto* off = set.offsets.data_ptr<int64_t>();
  int64_t longest = 0;
  for (auto i : indices) longest = std::max(longest, off[i + 1] - off[i]);
  const int64_t T = std::max<int64_t>(longest, pad_to);
  const int64_t B = static_cast<int64_t>(indices.size());
  // Row of every (example, position); past an example's end, the zero row.
  std::vector<int64_t> rows(static_cast<size_t>(B * T), set.pad_row());
  std::vector<int64_t> mask(static_cast<size_t>(B * T), 0);
  for (int64_t b = 0; b < B; ++b) {
    const int64_t begin = off[indices[b]], len = off[indices[b] + 1] - begin;
    for (int64_t t = 0; t < len; ++t) {
      rows[b * T + t] = begin + t;
      mask[b * T + t] = 1;
    }
  }
  const auto device = set.features.device();
  const auto to_device = [&](std::vector<int64_t>& v) { return torch::tensor(v, torch::kInt64).to(device, true); };
  PaddedFeatures out;
  out.hidden = set.features.index_select(0, to_device(rows)).view({B, T, set.dim()}).to(torch::kFloat32);
  out.mask = to_device(mask).view({B, T});
  return out;
}

FeatureSet encode_features(model::Encoder& encoder, const std::vector<text::Encoding>& encodings, int32_t pad_id,
                           int batch_size, const runtime::Execution& exec) {
  const auto start = std::chrono::steady_clock::now();
  const int64_t n = static_cast<int64_t>(encodings.size());
  std::vector<int64_t> offsets(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + static_cast<int64_t>(encodings[i].ids.size());
  const int64_t dim = encoder->config().dim;
  torch::Tensor features = torch::empty({offsets[n], dim}, torch::kFloat16);

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
    const auto& device = exec.device.device;
    torch::Tensor hidden;
    {
      const runtime::AutocastScope autocast(exec.device, exec.numerics);
      hidden = encoder->forward(tb.ids.to(device), tb.mask.to(device), tb.type_ids.to(device));
    }
    hidden = hidden.to(torch::kFloat16).cpu();
    for (int64_t k = s; k < e; ++k) {
      const int64_t i = order[k];
      const int64_t len = offsets[i + 1] - offsets[i];
      features.narrow(0, offsets[i], len).copy_(hidden[k - s].narrow(0, 0, len));
    }
  }
  if (was_training) encoder->train();
  FeatureSet set = make_feature_set(features, std::move(offsets));
  set.encode_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return set;
}

FeatureSet cached_features(model::Encoder& encoder, const std::string& encoder_identity,
                           const std::vector<text::Encoding>& encodings, int32_t pad_id, const std::string& cache_dir,
                           const runtime::Execution& exec, int batch_size) {
  if (cache_dir.empty()) return encode_features(encoder, encodings, pad_id, batch_size, exec);
  common::Sha256 key;
  key.update("hecto-features-v1\n").update(encoder_identity).update("\n");
  // fp32 keeps the key it always had; bf16 features are another computation.
  if (exec.numerics.bf16) key.update("numerics=bf16\n");
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
        const auto* off = parts[1].data_ptr<int64_t>();
        FeatureSet set = make_feature_set(parts[0], std::vector<int64_t>(off, off + parts[1].numel()));
        set.cache_hit = true;
        spdlog::debug("feature cache hit: {}", path.string());
        return set;
      }
      spdlog::warn("feature cache {} does not match its key; recomputing", path.string());
    } catch (const std::exception& e) {
      spdlog::warn("feature cache {} is unreadable ({}); recomputing", path.string(), e.what());
    }
  }
  FeatureSet set = encode_features(encoder, encodings, pad_id, batch_size, exec);
  fs::create_directories(cache_dir);
  // Write beside, then rename: a reader (or a killed writer) never sees half a file.
  const fs::path tmp = path.string() + ".tmp." + std::to_string(getpid());
  torch::save(std::vector<torch::Tensor>{set.features.narrow(0, 0, set.pad_row()), set.offsets}, tmp.string());
  fs::rename(tmp, path);
  spdlog::info("encoded {} examples in {:.1f}s -> {}", encodings.size(), set.encode_seconds, path.string());
  return set;
}

}  // namespace hecto::train
