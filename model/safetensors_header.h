#pragma once
// The safetensors header: 8-byte little-endian length N, then N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}). Parsing and
// checking it needs no torch, so this file stays torch-free and can be fuzzed with sanitizers.
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

// The reference implementation's limit: a larger header is a corrupt or hostile file.
inline constexpr uint64_t kSafetensorsMaxHeaderBytes = 100'000'000;
inline constexpr const char* kSafetensorsExpected = "a safetensors file (8-byte header length, JSON header, data)";

// Bytes per element of a dtype name; 0 for a dtype the reader does not support.
uint64_t safetensors_dtype_size(std::string_view dtype);
// "F64, F32, ..." for error messages.
std::string safetensors_dtype_names();
uint64_t read_le64(const char* p);

// Parses and validates a header given the file's first bytes and its total size: every offset,
// size and shape is checked against the file, so a reader that trusts the result never reads out
// of bounds. Throws InputError (source named) on anything inconsistent. Pure function: fuzzable.
SafetensorsHeader parse_safetensors_header(std::string_view bytes, uint64_t file_size, const std::string& source);

}  // namespace hecto::model
