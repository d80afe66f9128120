#include "tests/testing.h"
#include "common/env.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace hecto::testing {

namespace fs = std::filesystem;

fs::path source_dir() { return HECTO_SOURCE_DIR; }
fs::path binary_dir() { return HECTO_BINARY_DIR; }

fs::path shared_data_dir() {
  if (const auto e = hecto::common::env::get("HECTO_TEST_DATA")) return *e;
  return source_dir().parent_path() / "shared" / "data";
}

bool have_shared_data() { return fs::exists(shared_data_dir() / "PROVENANCE.md"); }

fs::path vocab_path() { return shared_data_dir() / "tokenizer" / "bert-base-uncased" / "vocab.txt"; }

TempDir::TempDir() {
  std::random_device rd;
  path_ = binary_dir() / "test-tmp" / ("t" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path;
}

CommandResult run_command(const std::string& command) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string output;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
  int status = pclose(pipe);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, output};
}

}  // namespace hecto::testing
