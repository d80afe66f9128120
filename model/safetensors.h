#pragma once
// The safetensors format: 8-byte little-endian header length N, N bytes of JSON header
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then raw data.
// The reader never trusts the header: every offset, size and shape is checked against the file
// (model/safetensors_header.h, torch-free) before a byte is read.
#include <torch/torch.h>

#include <map>
#include <string>

#include "model/safetensors_header.h"

namespace hecto::model {

// Loads every tensor, converting floating types (F32/F16/BF16) to fp32.
std::map<std::string, torch::Tensor> load_safetensors(const std::string& path);
// The header alone (names, dtypes, shapes): what a loader checks before allocating anything.
SafetensorsHeader read_safetensors_header(const std::string& path);
void save_safetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace hecto::model
