// Any bytes as the start of a safetensors file: the parser either throws InputError or returns a
// header whose every tensor lies inside the file with exactly shape x dtype bytes, which is what
// lets load_safetensors read without further checks.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/error.h"
#include "model/safetensors_header.h"

using namespace hecto::model;

namespace {

void check(std::string_view bytes, uint64_t file_size) {
  SafetensorsHeader h;
  try {
    h = parse_safetensors_header(bytes, file_size, "fuzz.safetensors");
  } catch (const hecto::common::InputError&) {
    return;
  }
  if (h.data_start < 8 || h.data_start > file_size || h.data_start > bytes.size()) abort();
  for (const auto& t : h.tensors) {
    const uint64_t size = safetensors_dtype_size(t.dtype);
    if (size == 0 || t.begin > t.end || t.end > file_size - h.data_start) abort();
    uint64_t numel = 1;
    for (int64_t d : t.shape) {
      if (d < 0 || __builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel)) abort();
    }
    uint64_t bytes_needed = 0;
    if (__builtin_mul_overflow(numel, size, &bytes_needed) || bytes_needed != t.end - t.begin) abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes, size);  // the whole file
  // A file whose data section is longer than what was read (the reader passes only the header),
  // and a file shorter than its header claims.
  if (size > 0) check(bytes, size + data[size - 1]);
  if (size > 8) check(bytes.substr(0, size - 1), size - 1);
  return 0;
}
