#include "common/error.h"

namespace hecto::common {

std::string SourceLocation::str() const {
  std::string s = file.empty() ? "<input>" : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

static std::string compose(const SourceLocation& where, const std::string& problem, const std::string& expected) {
  std::string msg = where.str() + ": " + problem;
  if (!expected.empty()) msg += " (expected " + expected + ")";
  return msg;
}

InputError::InputError(SourceLocation where, const std::string& problem, const std::string& expected)
    : std::runtime_error(compose(where, problem, expected)),
      where_(std::move(where)),
      problem_(problem),
      expected_(expected) {}

}  // namespace hecto::common
