#pragma once
// SHA-256 (OpenSSL) of bytes and files: cell ids, data and weight provenance, cache keys.
#include <string>
#include <string_view>

namespace hecto::common {

std::string sha256_hex(std::string_view bytes);
// Streams the file; throws InputError naming the file when it cannot be read.
std::string sha256_file(const std::string& path);

// Incremental hashing for keys built from several parts.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256& update(std::string_view bytes);
  std::string hex();  // finalises; further updates are an error

 private:
  void* ctx_;
};

}  // namespace hecto::common
