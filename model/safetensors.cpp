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

struct DtypeInfo {
  const char* name;
  torch::ScalarType type;
  uint64_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"F64", torch::kDouble, 8}, {"F32", torch::kFloat, 4}, {"F16", torch::kHalf, 2},  {"BF16", torch::kBFloat16, 2},
    {"I64", torch::kLong, 8},   {"I32", torch::kInt, 4},   {"I16", torch::kShort, 2}, {"I8", torch::kChar, 1},
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

void write_le64(std::ostream& out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out.write(b, 8);
}

}  // namespace

namespace {

// Reads only as much of the header as the file claims and the limit allows; the parser rejects the rest.
SafetensorsHeader read_header(std::ifstream& in, const std::string& path) {
  std::error_code ec;
  const uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError({path, 0, 0}, "cannot read: " + ec.message(), kSafetensorsExpected);
  if (!in) throw InputError({path, 0, 0}, "cannot open for reading", kSafetensorsExpected);
  std::string prefix(std::min<uint64_t>(file_size, 8), '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  if (prefix.size() == 8) {
    const uint64_t claimed = std::min({read_le64(prefix.data()), file_size - 8, kSafetensorsMaxHeaderBytes});
    prefix.resize(8 + claimed);
    in.read(prefix.data() + 8, static_cast<std::streamsize>(claimed));
  }
  if (!in) throw RunError(path + ": read failed while reading the safetensors header");
  return parse_safetensors_header(prefix, file_size, path);
}

}  // namespace

SafetensorsHeader read_safetensors_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return read_header(in, path);
}

std::map<std::string, torch::Tensor> load_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const SafetensorsHeader header = read_header(in, path);

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
