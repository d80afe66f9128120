#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "model/safetensors.h"
#include "tests/testing.h"

using hecto::common::InputError;
using hecto::model::load_safetensors;
using hecto::model::parse_safetensors_header;
using hecto::model::save_safetensors;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

// A safetensors file assembled by hand: 8-byte little-endian header length, header, data.
std::string raw_file(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The InputError message from loading `bytes` as a file, or "" when it loads.
std::string load_error(const std::string& bytes) {
  TempDir dir;
  auto path = write_file(dir / "bad.safetensors", bytes);
  try {
    load_safetensors(path.string());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string parse_error(const std::string& bytes) {
  try {
    parse_safetensors_header(bytes, bytes.size(), "mem.safetensors");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string k8Bytes(8, '\x01');

}  // namespace

TEST(Safetensors, ParsesAValidHeader) {
  auto bytes = raw_file(R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},)"
                        R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                        std::string(12, '\0'));
  auto h = parse_safetensors_header(bytes, bytes.size(), "x");
  ASSERT_EQ(h.tensors.size(), 2u);
  EXPECT_EQ(h.metadata.at("format"), "pt");
  EXPECT_EQ(h.data_start, bytes.size() - 12);
  for (const auto& t : h.tensors) {
    if (t.name == "b") {
      EXPECT_EQ(t.dtype, "F16");
      EXPECT_EQ(t.begin, 8u);
      EXPECT_EQ(t.end, 12u);
      EXPECT_EQ(t.shape, std::vector<int64_t>{2});
    }
  }
}

TEST(Safetensors, RejectsBadFilesNamingTheProblem) {
  EXPECT_NE(parse_error("abc").find("too short"), std::string::npos);
  EXPECT_NE(parse_error("abc").find("mem.safetensors"), std::string::npos);

  std::string huge_len = raw_file("{}", "");
  huge_len[0] = '\x40';  // claims a 64+ byte header in a 10-byte file
  EXPECT_NE(parse_error(huge_len).find("larger than the file"), std::string::npos) << parse_error(huge_len);

  std::string over_limit(16, '\0');
  over_limit[4] = '\x01';  // 2^32 bytes: beyond the 100 MB limit
  EXPECT_NE(parse_error(over_limit).find("100 MB"), std::string::npos);

  EXPECT_NE(parse_error(raw_file("{\"a\": ", "")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error(raw_file("[1, 2]", "")).find("not an object"), std::string::npos);

  auto msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", k8Bytes));
  EXPECT_NE(msg.find("'w'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("out of range"), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", k8Bytes));
  EXPECT_NE(msg.find("'w'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("size mismatch"), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("v":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})",
                             k8Bytes));
  EXPECT_NE(msg.find("overlapping"), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", k8Bytes));
  EXPECT_NE(msg.find("unsupported dtype \"Q4\""), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", k8Bytes));
  EXPECT_NE(msg.find("shape"), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", k8Bytes));
  EXPECT_NE(msg.find("backwards"), std::string::npos) << msg;

  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[1]}})", k8Bytes));
  EXPECT_NE(msg.find("data_offsets"), std::string::npos) << msg;

  // Shapes whose element count overflows 64 bits must not wrap around to a "matching" size.
  msg = parse_error(raw_file(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}})", ""));
  EXPECT_NE(msg.find("size mismatch"), std::string::npos) << msg;
}

TEST(Safetensors, TruncatedFileIsRejectedBeforeReading) {
  TempDir dir;
  auto path = dir / "t.safetensors";
  save_safetensors(path.string(), {{"w", torch::randn({64})}});
  auto bytes = read_all(path);
  auto msg = load_error(bytes.substr(0, bytes.size() - 10));
  EXPECT_NE(msg.find("out of range"), std::string::npos) << msg;
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  EXPECT_NE(load_error(bytes.substr(0, 5)).find("too short"), std::string::npos);
  EXPECT_NE(load_error(bytes.substr(0, 20)).find("larger than the file"), std::string::npos);
  EXPECT_THROW(load_safetensors((dir / "absent.safetensors").string()), InputError);
}

TEST(Safetensors, ConvertsHalfAndBFloat16ToFloat32) {
  // Hand-written bytes, independent of our writer: 1.0, -2.0 in F16 (0x3C00, 0xC000), then 1.0 and
  // 0.5 in BF16 (0x3F80, 0x3F00), then one F64 3.25 and one I32 7, which stays integer.
  std::string data;
  for (uint16_t v : {0x3C00, 0xC000, 0x3F80, 0x3F00}) {
    data += static_cast<char>(v & 0xff);
    data += static_cast<char>(v >> 8);
  }
  double d = 3.25;
  data.append(reinterpret_cast<const char*>(&d), 8);
  int32_t i = 7;
  data.append(reinterpret_cast<const char*>(&i), 4);
  auto file = raw_file(R"({"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
                       R"("b":{"dtype":"BF16","shape":[2,1],"data_offsets":[4,8]},)"
                       R"("d":{"dtype":"F64","shape":[],"data_offsets":[8,16]},)"
                       R"("i":{"dtype":"I32","shape":[1],"data_offsets":[16,20]}})",
                       data);
  TempDir dir;
  auto path = write_file(dir / "mixed.safetensors", file);
  auto t = load_safetensors(path.string());
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.at("h").scalar_type(), torch::kFloat);
  EXPECT_EQ(t.at("h")[0].item<float>(), 1.0f);
  EXPECT_EQ(t.at("h")[1].item<float>(), -2.0f);
  EXPECT_EQ(t.at("b").scalar_type(), torch::kFloat);
  EXPECT_EQ(t.at("b").sizes(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(t.at("b")[0][0].item<float>(), 1.0f);
  EXPECT_EQ(t.at("b")[1][0].item<float>(), 0.5f);
  EXPECT_EQ(t.at("d").scalar_type(), torch::kFloat);
  EXPECT_EQ(t.at("d").dim(), 0);
  EXPECT_EQ(t.at("d").item<float>(), 3.25f);
  EXPECT_EQ(t.at("i").scalar_type(), torch::kInt);
  EXPECT_EQ(t.at("i")[0].item<int>(), 7);
}

TEST(Safetensors, WrittenHalfTensorsReadBackAsTheirFloatValues) {
  TempDir dir;
  auto path = dir / "h.safetensors";
  auto h = torch::randn({3, 5}).to(torch::kHalf);
  auto b = torch::randn({7}).to(torch::kBFloat16);
  save_safetensors(path.string(), {{"h", h}, {"b", b}});
  auto header = parse_safetensors_header(read_all(path), std::filesystem::file_size(path), path.string());
  for (const auto& e : header.tensors) EXPECT_EQ(e.dtype, e.name == "h" ? "F16" : "BF16");
  auto t = load_safetensors(path.string());
  EXPECT_TRUE(torch::equal(t.at("h"), h.to(torch::kFloat)));
  EXPECT_TRUE(torch::equal(t.at("b"), b.to(torch::kFloat)));
}

TEST(Safetensors, SaveThenLoadIsBitExact) {
  TempDir dir;
  auto path = dir / "rt.safetensors";
  std::map<std::string, torch::Tensor> in = {
      {"z.weight", torch::randn({4, 3})},
      {"a.bias", torch::randn({5}) * 1e-30},
      {"ids", torch::arange(6, torch::kLong).view({2, 3})},
      {"scalar", torch::tensor(2.5f)},
      {"empty", torch::zeros({0, 4})},
      {"strided", torch::randn({6, 4}).t()},  // non-contiguous input
  };
  save_safetensors(path.string(), in, {{"format", "pt"}});
  auto bytes = read_all(path);
  auto header = parse_safetensors_header(bytes, bytes.size(), path.string());
  EXPECT_EQ(header.data_start % 8, 0u) << "data must start 8-byte aligned";
  EXPECT_EQ(bytes[8], '{');
  EXPECT_EQ(header.metadata.at("format"), "pt");
  // Sorted names, packed back to back.
  uint64_t previous_end = 0;
  std::string previous_name;
  for (const auto& e : header.tensors) EXPECT_EQ(e.dtype, e.name == "ids" ? "I64" : "F32") << e.name;
  std::vector<std::pair<uint64_t, std::string>> by_offset;
  for (const auto& e : header.tensors) by_offset.emplace_back(e.begin, e.name);
  std::sort(by_offset.begin(), by_offset.end());
  for (const auto& [begin, name] : by_offset) {
    EXPECT_EQ(begin, previous_end) << name;
    EXPECT_LT(previous_name, name) << "tensors are laid out in name order";
    for (const auto& e : header.tensors)
      if (e.name == name) previous_end = e.end;
    previous_name = name;
  }
  EXPECT_EQ(previous_end, bytes.size() - header.data_start);

  auto out = load_safetensors(path.string());
  ASSERT_EQ(out.size(), in.size());
  for (const auto& [name, t] : in) {
    const auto& u = out.at(name);
    EXPECT_EQ(u.scalar_type(), t.scalar_type()) << name;
    EXPECT_EQ(u.sizes(), t.sizes()) << name;
    auto a = t.contiguous(), b = u.contiguous();
    if (a.numel() == 0) continue;  // an empty tensor's data_ptr is null: memcmp(null, ...) is UB
    EXPECT_EQ(std::memcmp(a.data_ptr(), b.data_ptr(), a.numel() * a.element_size()), 0) << name;
  }
}

TEST(Safetensors, RefusesNamesAndTypesItCannotWrite) {
  TempDir dir;
  EXPECT_THROW(save_safetensors((dir / "a").string(), {{"__metadata__", torch::zeros({1})}}), InputError);
  EXPECT_THROW(save_safetensors((dir / "b").string(), {{"c", torch::zeros({1}, torch::kComplexFloat)}}), InputError);
}
