#include "model/batch.h"

#include <algorithm>
#include <string>

#include "common/error.h"

namespace hecto::model {

TokenBatch pad_batch(const std::vector<const text::Encoding*>& encodings, int32_t pad_id, int pad_to) {
  size_t longest = 0;
  for (size_t b = 0; b < encodings.size(); ++b) {
    const text::Encoding* e = encodings[b];
    if (!e) throw common::RunError("pad_batch: encoding " + std::to_string(b) + " is null");
    if (e->type_ids.size() != e->ids.size())
      throw common::RunError("pad_batch: encoding " + std::to_string(b) + " has " + std::to_string(e->ids.size()) +
                             " ids but " + std::to_string(e->type_ids.size()) + " type ids");
    longest = std::max(longest, e->ids.size());
  }
  if (pad_to > 0 && static_cast<size_t>(pad_to) < longest)
    throw common::InputError({},
                             "pad_to " + std::to_string(pad_to) + " is shorter than the longest sequence (" +
                                 std::to_string(longest) + " tokens)",
                             "pad_to >= " + std::to_string(longest) + "; pad_batch never truncates");
  const int64_t B = static_cast<int64_t>(encodings.size());
  const int64_t T = pad_to > 0 ? pad_to : static_cast<int64_t>(longest);
  const auto opts = torch::TensorOptions().dtype(torch::kInt64);
  TokenBatch out{torch::full({B, T}, static_cast<int64_t>(pad_id), opts), torch::zeros({B, T}, opts),
                 torch::zeros({B, T}, opts)};
  int64_t* ids = out.ids.data_ptr<int64_t>();
  int64_t* mask = out.mask.data_ptr<int64_t>();
  int64_t* types = out.type_ids.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) {
    const text::Encoding& e = *encodings[b];
    for (size_t t = 0; t < e.ids.size(); ++t) {
      ids[b * T + t] = e.ids[t];
      mask[b * T + t] = 1;
      types[b * T + t] = e.type_ids[t];
    }
  }
  return out;
}

}  // namespace hecto::model
