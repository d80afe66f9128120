#include "train/batch_source.h"

#include <algorithm>

#include "model/batch.h"

namespace hecto::train {

BatchSource::BatchSource(model::Encoder encoder, const tasks::TokenizedSplit& tokens, const FeatureSet* features,
                         int32_t pad_id, int pad_to, const runtime::Execution& exec)
    : encoder_(std::move(encoder)),
      tokens_(tokens),
      features_(features),
      pad_id_(pad_id),
      pad_to_(pad_to),
      exec_(exec) {}

torch::Tensor BatchSource::to_device(const torch::Tensor& host) const {
  if (!exec_.device.is_cuda()) return host;
  // Pinned pages let the copy run asynchronously beside the previous step's kernels.
  return host.pin_memory().to(exec_.device.device, /*non_blocking=*/true);
}

torch::Tensor BatchSource::segments(const std::vector<int64_t>& indices, int64_t tokens) const {
  const int64_t B = static_cast<int64_t>(indices.size());
  torch::Tensor host = torch::zeros({B, tokens}, torch::kInt64);
  int64_t* out = host.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) {
    const auto& types = tokens_.encodings[indices[b]].type_ids;
    std::copy(types.begin(), types.end(), out + b * tokens);
  }
  return to_device(host);
}

EncodedBatch BatchSource::batch(const std::vector<int64_t>& indices) const {
  if (features_) {
    auto p = gather_features(*features_, indices, pad_to_);
    return {p.hidden, p.mask, segments(indices, p.mask.size(1))};
  }
  std::vector<const text::Encoding*> encodings;
  encodings.reserve(indices.size());
  for (auto i : indices) encodings.push_back(&tokens_.encodings[i]);
  const auto tb = model::pad_batch(encodings, pad_id_, pad_to_);
  const auto mask = to_device(tb.mask);
  const auto types = to_device(tb.type_ids);
  const runtime::AutocastScope autocast(exec_.device, exec_.numerics);
  return {encoder_->forward(to_device(tb.ids), mask, types), mask, types};
}

torch::Tensor BatchSource::targets(const std::vector<int64_t>& indices, bool regression) const {
  if (regression) {
    std::vector<float> t;
    t.reserve(indices.size());
    for (auto i : indices) t.push_back(tokens_.scores[i] / 5.0f);  // STS-B trains on [0, 1]
    return to_device(torch::tensor(t, torch::kFloat32));
  }
  std::vector<int64_t> t;
  t.reserve(indices.size());
  for (auto i : indices) t.push_back(tokens_.labels[i]);
  return to_device(torch::tensor(t, torch::kInt64));
}

}  // namespace hecto::train
