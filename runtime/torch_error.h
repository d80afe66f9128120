#pragma once
// Errors from LibTorch carry a C++ backtrace in what(): users get one line, the log keeps the
// trace at debug level. Every command boundary (the CLI, a failed cell's stored error) goes
// through one_line().
#include <exception>
#include <string>

namespace hecto::runtime {

// The message of any exception on one line: a torch error without its backtrace, line breaks
// joined with "; ". Logs the whole text at debug level when it is shortened.
std::string one_line(const std::exception& e);

}  // namespace hecto::runtime
