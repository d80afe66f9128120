#pragma once
// One logging setup for every binary: level from -v/-q, colours on a terminal, optional file.
#include <string>

namespace hecto::common {

struct LogOptions {
  int verbosity = 0;  // each -v adds one (debug, trace); each -q subtracts one (warn, error)
  std::string file;   // also log here (append) when not empty
};

void setup_logging(const LogOptions& options);
bool stderr_is_terminal();

}  // namespace hecto::common
