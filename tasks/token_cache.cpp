#include "tasks/token_cache.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/sha256.h"

namespace hecto::tasks {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'H', 'E', 'C', 'T', 'O', 'T', 'O', 'K'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kByteOrderMark = 0x01020304;
constexpr size_t kKeyBytes = 64;
constexpr size_t kDigestBytes = 64;

template <typename T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// A bounds-checked cursor over the file's bytes: any read past the end marks it failed.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool get(T& value) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool take(size_t n, std::string_view& out) {
    if (bytes_.size() - pos_ < n) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

std::string serialise(const std::string& key, bool pair, const std::vector<text::Encoding>& encodings) {
  uint64_t total = 0;
  for (const auto& e : encodings) total += e.ids.size();
  std::string out;
  out.reserve(128 + encodings.size() * 4 + total * (pair ? 5 : 4));
  out.append(kMagic, sizeof(kMagic));
  put(out, kVersion);
  put(out, kByteOrderMark);
  out.append(key);
  put(out, static_cast<uint8_t>(pair));
  put(out, static_cast<uint64_t>(encodings.size()));
  put(out, total);
  for (const auto& e : encodings) put(out, static_cast<int32_t>(e.ids.size()));
  for (const auto& e : encodings)
    out.append(reinterpret_cast<const char*>(e.ids.data()), e.ids.size() * sizeof(int32_t));
  if (pair)
    for (const auto& e : encodings) out.append(reinterpret_cast<const char*>(e.type_ids.data()), e.type_ids.size());
  out.append(common::sha256_hex(out));
  return out;
}

// Empty optional-like result (false) for anything that is not exactly what we would have written.
bool deserialise(std::string_view bytes, const std::string& key, bool pair, size_t n_expected, int max_len,
                 size_t vocab_size, std::vector<text::Encoding>& out) {
  if (bytes.size() < kDigestBytes) return false;
  const std::string_view body = bytes.substr(0, bytes.size() - kDigestBytes);
  if (common::sha256_hex(body) != bytes.substr(bytes.size() - kDigestBytes)) return false;
  Reader r(body);
  std::string_view magic, stored_key;
  uint32_t version = 0, bom = 0;
  uint8_t stored_pair = 0;
  uint64_t n = 0, total = 0;
  if (!r.take(sizeof(kMagic), magic) || magic != std::string_view(kMagic, sizeof(kMagic))) return false;
  if (!r.get(version) || version != kVersion || !r.get(bom) || bom != kByteOrderMark) return false;
  if (!r.take(kKeyBytes, stored_key) || stored_key != key) return false;
  if (!r.get(stored_pair) || stored_pair != static_cast<uint8_t>(pair)) return false;
  if (!r.get(n) || n != n_expected || !r.get(total)) return false;
  if (r.remaining() != n * 4 + total * (pair ? 5 : 4)) return false;
  std::vector<int32_t> lengths(n);
  uint64_t sum = 0;
  for (auto& len : lengths) {
    r.get(len);
    if (len < 1 || (max_len > 0 && len > max_len)) return false;
    sum += static_cast<uint64_t>(len);
  }
  if (sum != total) return false;
  out.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    out[i].ids.resize(lengths[i]);
    for (auto& id : out[i].ids) {
      r.get(id);
      if (id < 0 || static_cast<size_t>(id) >= vocab_size) return false;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    out[i].type_ids.assign(lengths[i], 0);
    if (!pair) continue;
    for (auto& t : out[i].type_ids) {
      r.get(t);
      if (t != 0 && t != 1) return false;
    }
  }
  return true;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Temp file + rename: readers see the old file or the whole new one, never a half-written one.
void write_atomically(const fs::path& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::random_device rd;
  const fs::path tmp = path.string() + ".tmp." + std::to_string(getpid()) + "." + std::to_string(rd());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      spdlog::warn("token cache: cannot write {}; continuing without caching", tmp.string());
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    spdlog::warn("token cache: cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
    fs::remove(tmp, ec);
  }
}

}  // namespace

std::string token_cache_key(const Split& split, const text::Tokenizer& tokenizer, int max_len, bool pair) {
  common::Sha256 texts;
  for (const auto& e : split.examples) {
    texts.update(e.text_a);
    texts.update(std::string_view("\0", 1));
    texts.update(e.text_b);
    texts.update(std::string_view("\x1e", 1));
  }
  common::Sha256 key;
  key.update("hecto-token-cache/v1\n");
  key.update("split=" + split.name + "\n");
  key.update("builder=" + split.input_builder + "\n");
  key.update("selection=" + split.selection + "\n");
  for (const auto& sha : split.source_sha256) key.update("source=" + sha + "\n");
  key.update("vocab=" + tokenizer.vocab_sha256() + "\n");
  key.update("max_len=" + std::to_string(max_len) + "\n");
  key.update(std::string("pair=") + (pair ? "1" : "0") + "\n");
  key.update("n=" + std::to_string(split.examples.size()) + "\n");
  key.update("texts=" + texts.hex() + "\n");
  return key.hex();
}

TokenizedSplit tokenize_split(const Split& split, const text::Tokenizer& tokenizer, int max_len, bool pair,
                              const std::string& cache_dir) {
  TokenizedSplit out;
  for (const auto& e : split.examples) {
    out.labels.push_back(e.label);
    out.scores.push_back(e.score);
  }
  out.key = token_cache_key(split, tokenizer, max_len, pair);
  const fs::path path = cache_dir.empty() ? fs::path() : fs::path(cache_dir) / (out.key + ".tok");
  if (!cache_dir.empty() && fs::exists(path)) {
    if (deserialise(read_all(path), out.key, pair, split.examples.size(), max_len, tokenizer.vocab_size(),
                    out.encodings)) {
      out.cache_hit = true;
      return out;
    }
    spdlog::warn("token cache: {} is damaged or outdated; rebuilding it", path.string());
    out.encodings.clear();
  }
  out.encodings.reserve(split.examples.size());
  for (const auto& e : split.examples)
    out.encodings.push_back(pair ? tokenizer.encode_pair(e.text_a, e.text_b, max_len)
                                 : tokenizer.encode(e.text_a, max_len));
  if (!cache_dir.empty()) write_atomically(path, serialise(out.key, pair, out.encodings));
  return out;
}

}  // namespace hecto::tasks
