#include "model/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace hecto::model {

using common::InputError;
using common::RunError;

namespace {

// The reference implementation's limit: a larger header is a corrupt or hostile file.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr const char* kExpectedFile = "a safetensors file (8-byte header length, JSON header, data)";

struct DtypeInfo {
  const char* name;
  torch::ScalarType type;
  uint64_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"F64", torch::kDouble, 8}, {"F32", torch::kFloat, 4},  {"F16", torch::kHalf, 2},  {"BF16", torch::kBFloat16, 2},
    {"I64", torch::kLong, 8},   {"I32", torch::kInt, 4},    {"I16", torch::kShort, 2}, {"I8", torch::kChar, 1},
    {"U8", torch::kByte, 1},    {"BOOL", torch::kBool, 1},
};

const DtypeInfo* find_dtype(const std::string& name) {
  for (const auto& d : kDtypes)
    if (name == d.name) return &d;
  return nullptr;
}

const DtypeInfo& dtype_of(torch::ScalarType type, const std::string& tensor) {
  for (const auto& d : kDtypes)
    if (d.type == type) return d;
  throw InputError({tensor, 0, 0}, std::string("dtype ") + c10::toString(type) + " cannot be written to safetensors",
                   "F64, F32, F16, BF16, I64, I32, I16, I8, U8 or BOOL");
}

std::string all_dtype_names() {
  std::string s;
  for (const auto& d : kDtypes) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

uint64_t read_le64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void write_le64(std::ostream& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.write(b, 8);
}

[[noreturn]] void bad(const std::string& source, const std::string& problem, const std::string& expected = kExpectedFile) {
  throw InputError({source, 0, 0}, problem, expected);
}

TensorEntry parse_entry(const std::string& name, const nlohmann::json& v, uint64_t data_size, const std::string& source) {
  const std::string what = "tensor '" + name + "'";
  if (!v.is_object()) bad(source, what + ": header entry is " + v.dump(), "{dtype, shape, data_offsets}");
  TensorEntry e;
  e.name = name;

  auto dtype = v.find("dtype");
  if (dtype == v.end() || !dtype->is_string()) bad(source, what + ": missing or non-string dtype", all_dtype_names());
  e.dtype = dtype->get<std::string>();
  const DtypeInfo* info = find_dtype(e.dtype);
  if (!info) bad(source, what + ": unsupported dtype \"" + e.dtype + "\"", all_dtype_names());

  auto shape = v.find("shape");
  if (shape == v.end() || !shape->is_array()) bad(source, what + ": missing shape", "shape: a list of non-negative integers");
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
  overflow |= __builtin_mul_overflow(numel, info->size, &bytes);
  if (overflow || bytes != e.end - e.begin)
    bad(source,
        what + ": size mismatch: shape " + shape->dump() + " of " + e.dtype + " needs " +
            (overflow ? std::string("more than 2^64") : std::to_string(bytes)) + " bytes but data_offsets span " +
            std::to_string(e.end - e.begin),
        "(end - begin) == number of elements x dtype size");
  return e;
}

}  // namespace

SafetensorsHeader parse_safetensors_header(std::string_view bytes, uint64_t file_size, const std::string& source) {
  if (file_size < 8 || bytes.size() < 8)
    bad(source, "file is " + std::to_string(file_size) + " bytes, too short for the 8-byte header length");
  const uint64_t header_len = read_le64(bytes.data());
  if (header_len > kMaxHeaderBytes)
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
  } catch (const nlohmann::json::parse_error& e) {
    bad(source, std::string("header is not valid JSON: ") + e.what(), "a JSON object after the header length");
  }
  if (!j.is_object()) bad(source, "header is JSON but not an object", "a JSON object {name: {dtype, shape, data_offsets}}");

  SafetensorsHeader h;
  h.data_start = 8 + header_len;
  const uint64_t data_size = file_size - h.data_start;
  for (const auto& [name, value] : j.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) bad(source, "__metadata__ is not an object", "__metadata__: {string: string}");
      for (const auto& [k, v] : value.items()) {
        if (!v.is_string()) bad(source, "__metadata__ value of \"" + k + "\" is not a string", "__metadata__: {string: string}");
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
      bad(source, "tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name + "' have overlapping data_offsets",
          "disjoint byte ranges");
  return h;
}

std::map<std::string, torch::Tensor> load_safetensors(const std::string& path) {
  std::error_code ec;
  const uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError({path, 0, 0}, "cannot read: " + ec.message(), kExpectedFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot open for reading", kExpectedFile);

  // Read only as much of the header as the file claims and the limit allows; the parser rejects the rest.
  std::string prefix(std::min<uint64_t>(file_size, 8), '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  if (prefix.size() == 8) {
    const uint64_t claimed = std::min({read_le64(prefix.data()), file_size - 8, kMaxHeaderBytes});
    prefix.resize(8 + claimed);
    in.read(prefix.data() + 8, static_cast<std::streamsize>(claimed));
  }
  if (!in) throw RunError(path + ": read failed while reading the safetensors header");
  const SafetensorsHeader header = parse_safetensors_header(prefix, file_size, path);

  std::map<std::string, torch::Tensor> out;
  for (const auto& e : header.tensors) {
    const DtypeInfo* info = find_dtype(e.dtype);
    torch::Tensor t = torch::empty(e.shape, torch::TensorOptions().dtype(info->type));
    const uint64_t n = e.end - e.begin;
    if (n > 0) {
      in.seekg(static_cast<std::streamoff>(header.data_start + e.begin));
      in.read(static_cast<char*>(t.data_ptr()), static_cast<std::streamsize>(n));
      if (!in || static_cast<uint64_t>(in.gcount()) != n)
        throw RunError(path + ": tensor '" + e.name + "': short read (did the file change while loading?)");
    }
    if (t.is_floating_point() && t.scalar_type() != torch::kFloat) t = t.to(torch::kFloat);
    out.emplace(e.name, std::move(t));
  }
  return out;
}

void save_safetensors(const std::string& path, const std::map<std::string, torch::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<torch::Tensor> data;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {  // std::map: sorted by name
    if (name.empty() || name == "__metadata__")
      throw InputError({path, 0, 0}, "cannot write a tensor named \"" + name + "\"", "a non-empty tensor name");
    if (!tensor.defined()) throw InputError({path, 0, 0}, "tensor '" + name + "' is undefined", "a defined tensor");
    const DtypeInfo& info = dtype_of(tensor.scalar_type(), path + ": tensor '" + name + "'");
    torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    const uint64_t bytes = static_cast<uint64_t>(t.numel()) * info.size;
    header[name] = {{"dtype", info.name}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(t));
  }
  std::string text = header.dump();
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  text.append((8 - text.size() % 8) % 8, ' ');

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw RunError("cannot write " + tmp);
    write_le64(out, text.size());
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const auto& t : data)
      out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    out.flush();
    if (!out) throw RunError("write failed: " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw RunError("cannot move " + tmp + " to " + path + ": " + ec.message());
}

}  // namespace hecto::model
