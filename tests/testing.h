#pragma once
// Helpers every test binary shares: where the real data and the built binaries are, and
// scratch directories that clean up after themselves.
#include <filesystem>
#include <string>

namespace hecto::testing {

std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// The real datasets: $HECTO_TEST_DATA, else ../shared/data beside the checkout.
std::filesystem::path shared_data_dir();
bool have_shared_data();
std::filesystem::path vocab_path();  // the real bert-base-uncased vocab.txt

// A fresh directory under the build tree, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes text to a file (creating parent directories) and returns its path.
std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text);

// Runs a shell command, returns its exit code and captures stdout+stderr.
struct CommandResult {
  int exit_code;
  std::string output;
};
CommandResult run_command(const std::string& command);

}  // namespace hecto::testing

#define HECTO_REQUIRE_SHARED_DATA()                                                 \
  do {                                                                              \
    if (!::hecto::testing::have_shared_data()) GTEST_SKIP() << "no ../shared/data"; \
  } while (0)
