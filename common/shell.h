#pragma once
// Words for sh: what the Slurm scripts, `hecto bench` and the plot renderer put on command lines.
#include <string>

namespace hecto::common {

// Single-quotes a word for sh (a quote inside becomes '\'').
std::string shell_quote(const std::string& word);

}  // namespace hecto::common
