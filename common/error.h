#pragma once
// Typed errors: every bad input names where it came from and what was expected,
// so the CLI can print one clear line and exit 2 (bad input) or 1 (failed run).
#include <stdexcept>
#include <string>

namespace hecto::common {

struct SourceLocation {
  std::string file;  // empty when the input has no file (e.g. a command-line value)
  long line = 0;     // 1-based; 0 when unknown
  long column = 0;   // 1-based; 0 when unknown
  std::string str() const;
};

// Input the user gave us is wrong (file contents, flags, config). CLI exit code 2.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& problem, const std::string& expected = "");
  const SourceLocation& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& expected() const { return expected_; }

 private:
  SourceLocation where_;
  std::string problem_;
  std::string expected_;
};

// Something went wrong while running (I/O, numerical failure). CLI exit code 1.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hecto::common
