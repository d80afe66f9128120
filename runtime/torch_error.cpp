#include "runtime/torch_error.h"

#include <c10/util/Exception.h>
#include <spdlog/spdlog.h>

namespace hecto::runtime {

namespace {

std::string join_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    line.erase(0, line.find_first_not_of(" \t\r"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) out += (out.empty() ? "" : "; ") + line;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string one_line(const std::exception& e) {
  const std::string full = e.what();
  std::string message = full;
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&e)) {
    message = torch_error->what_without_backtrace();
    // Torch appends its own "Exception raised from ..." line to some messages.
    if (const auto at = message.find("Exception raised from"); at != std::string::npos) message.resize(at);
    message = "LibTorch: " + message;
  }
  std::string line = join_lines(message);
  if (line != full) spdlog::debug("full error text: {}", full);
  return line;
}

}  // namespace hecto::runtime
