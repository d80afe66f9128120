#pragma once
// The safetensors format: 8-byte little-endian header length N, N bytes of JSON header
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then raw data.
// The reader never trusts the header: every offset, size and shape is checked against the file
// before a byte is read.
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hecto::model {

struct TensorEntry {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16", "I64", ...
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // offsets into the data section
};

struct SafetensorsHeader {
  std::vector<TensorEntry> tensors;
  std::map<std::string, std::string> metadata;
  uint64_t data_start = 0;  // 8 + header length
};

// Parses and validates a header given the file's first bytes and its total size.
// Throws InputError (source named) on anything inconsistent. Pure function: fuzzable.
SafetensorsHeader parse_safetensors_header(std::string_view bytes, uint64_t file_size, const std::string& source);

// Loads every tensor, converting floating types (F32/F16/BF16) to fp32.
std::map<std::string, torch::Tensor> load_safetensors(const std::string& path);
void save_safetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace hecto::model
