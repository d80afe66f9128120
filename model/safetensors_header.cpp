#include "model/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/error.h"

namespace hecto::model {

using common::InputError;

namespace {

struct DtypeSize {
  const char* name;
  uint64_t size;
};

constexpr DtypeSize kDtypeSizes[] = {{"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
                                     {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};

[[noreturn]] void bad(const std::string& source, const std::string& problem,
                      const std::string& expected = kSafetensorsExpected) {
  throw InputError({source, 0, 0}, problem, expected);
}

TensorEntry parse_entry(const std::string& name, const nlohmann::json& v, uint64_t data_size,
                        const std::string& source) {
  const std::string what = "tensor '" + name + "'";
  if (!v.is_object()) bad(source, what + ": header entry is " + v.dump(), "{dtype, shape, data_offsets}");
  TensorEntry e;
  e.name = name;

  auto dtype = v.find("dtype");
  if (dtype == v.end() || !dtype->is_string())
    bad(source, what + ": missing or non-string dtype", safetensors_dtype_names());
  e.dtype = dtype->get<std::string>();
  const uint64_t dtype_size = safetensors_dtype_size(e.dtype);
  if (dtype_size == 0) bad(source, what + ": unsupported dtype \"" + e.dtype + "\"", safetensors_dtype_names());

  auto shape = v.find("shape");
  if (shape == v.end() || !shape->is_array())
    bad(source, what + ": missing shape", "shape: a list of non-negative integers");
  uint64_t numel = 1;
  bool overflow = false;
  for (const auto& d : *shape) {
    if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<int64_t>() >= 0))
      bad(source, what + ": shape " + shape->dump() + " has a bad dimension", "shape: a list of non-negative integers");
    const uint64_t n = d.get<uint64_t>();
    if (n > static_cast<uint64_t>(INT64_MAX)) bad(source, what + ": shape dimension " + d.dump() + " is too large");
    e.shape.push_back(static_cast<int64_t>(n));
    overflow |= __builtin_mul_overflow(numel, n, &numel);
  }

  auto offsets = v.find("data_offsets");
  if (offsets == v.end() || !offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
      !(*offsets)[1].is_number_unsigned())
    bad(source, what + ": missing or malformed data_offsets", "data_offsets: [begin, end], non-negative integers");
  e.begin = (*offsets)[0].get<uint64_t>();
  e.end = (*offsets)[1].get<uint64_t>();
  if (e.begin > e.end)
    bad(source, what + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "] run backwards",
        "begin <= end");
  if (e.end > data_size)
    bad(source,
        what + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
            "] are out of range: the data section holds " + std::to_string(data_size) + " bytes",
        "offsets within the data section (is the file truncated?)");
  uint64_t bytes = 0;
  overflow |= __builtin_mul_overflow(numel, dtype_size, &bytes);
  if (overflow || bytes != e.end - e.begin)
    bad(source,
        what + ": size mismatch: shape " + shape->dump() + " of " + e.dtype + " needs " +
            (overflow ? std::string("more than 2^64") : std::to_string(bytes)) + " bytes but data_offsets span " +
            std::to_string(e.end - e.begin),
        "(end - begin) == number of elements x dtype size");
  return e;
}

}  // namespace

uint64_t safetensors_dtype_size(std::string_view dtype) {
  for (const auto& d : kDtypeSizes)
    if (dtype == d.name) return d.size;
  return 0;
}

std::string safetensors_dtype_names() {
  std::string s;
  for (const auto& d : kDtypeSizes) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

uint64_t read_le64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

SafetensorsHeader parse_safetensors_header(std::string_view bytes, uint64_t file_size, const std::string& source) {
  if (file_size < 8 || bytes.size() < 8)
    bad(source, "file is " + std::to_string(file_size) + " bytes, too short for the 8-byte header length");
  const uint64_t header_len = read_le64(bytes.data());
  if (header_len > kSafetensorsMaxHeaderBytes)
    bad(source, "header length " + std::to_string(header_len) + " is larger than the 100 MB limit");
  if (header_len > file_size - 8)
    bad(source, "header length " + std::to_string(header_len) + " is larger than the file (" +
                    std::to_string(file_size) + " bytes)");
  if (bytes.size() < 8 + header_len)
    bad(source, "only " + std::to_string(bytes.size()) + " bytes given for a header ending at byte " +
                    std::to_string(8 + header_len));

  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes.substr(8, header_len));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number too large
    bad(source, std::string("header is not valid JSON: ") + e.what(), "a JSON object after the header length");
  }
  if (!j.is_object())
    bad(source, "header is JSON but not an object", "a JSON object {name: {dtype, shape, data_offsets}}");

  SafetensorsHeader h;
  h.data_start = 8 + header_len;
  const uint64_t data_size = file_size - h.data_start;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) bad(source, "__metadata__ is not an object", "__metadata__: {string: string}");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string())
          bad(source, "__metadata__ value of \"" + k + "\" is not a string", "__metadata__: {string: string}");
        h.metadata[k] = v.get<std::string>();
      }
      continue;
    }
    h.tensors.push_back(parse_entry(name, value, data_size, source));
  }

  // Two tensors may not share bytes: sort by begin and check each starts after the one before ends.
  std::vector<const TensorEntry*> by_offset;
  for (const auto& t : h.tensors)
    if (t.end > t.begin) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < by_offset.size(); ++i)
    if (by_offset[i]->begin < by_offset[i - 1]->end)
      bad(source,
          "tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name + "' have overlapping data_offsets",
          "disjoint byte ranges");
  return h;
}

}  // namespace hecto::model
