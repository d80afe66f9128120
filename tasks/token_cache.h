#pragma once
// Tokenising a split once. The result is stored under a key that covers everything the ids
// depend on: the source files' sha256, the exact example texts, the vocab's sha256, max length,
// single/pair input, the input builder and its version, the split name and the sampling
// parameters. Any change gives a new key, so a stale file is never read; a file that is short,
// corrupt or from another format version is ignored and rebuilt.
//
// File layout (native little-endian; version 1):
//   "HECTOTOK" | u32 version | u32 byte-order mark 0x01020304 | 64-byte hex key | u8 pair |
//   u64 n | u64 total ids | i32 length[n] | i32 ids[total] | (pair) i8 type_ids[total] |
//   64-byte hex SHA-256 of everything before it
#include <string>
#include <vector>

#include "tasks/task.h"
#include "text/tokenizer.h"

namespace hecto::tasks {

struct TokenizedSplit {
  std::vector<text::Encoding> encodings;
  std::vector<int> labels;    // one per example (-1 for regression)
  std::vector<float> scores;  // one per example (task scale)
  std::string key;            // hex sha256 of the cache key
  bool cache_hit = false;
  size_t size() const { return encodings.size(); }
};

inline constexpr const char* kDefaultTokenCacheDir = "cache/tokens";

// The key tokenize_split uses (exposed for tests and provenance).
std::string token_cache_key(const Split& split, const text::Tokenizer& tokenizer, int max_len, bool pair);

// Tokenises split (pair: encode_pair(text_a, text_b), else encode(text_a)), reading or writing
// cache_dir/<key>.tok. cache_dir empty: no cache. Cache write failures are logged, not fatal.
TokenizedSplit tokenize_split(const Split& split, const text::Tokenizer& tokenizer, int max_len, bool pair,
                              const std::string& cache_dir);

}  // namespace hecto::tasks
