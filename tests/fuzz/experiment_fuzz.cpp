// Any text as an experiment file: reading and expanding it either throws InputError (with a
// location) or yields cells whose configs validate. Anything else escaping is a bug: the CLI
// would report it as a crash, not as bad input.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/error.h"
#include "experiment/experiment.h"
#include "tests/fuzz/fuzz_util.h"

using namespace hecto::experiment;

namespace {

// Matrices multiply: keep one input from expanding into millions of cells (that is slow, not wrong).
bool small_enough(const Experiment& exp) {
  if (!exp.matrix) return true;
  uint64_t cells = 1;
  for (const auto& axis : exp.matrix->axes) {
    cells *= std::max<uint64_t>(1, axis.values.size());
    if (cells > 2048) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      hecto::fuzz::write_scratch("experiment.toml", std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    const Experiment exp = parse_experiment(path);
    if (!small_enough(exp)) return 0;
    std::vector<std::string> profiles = {""};
    for (const auto& [name, _] : exp.profiles) profiles.push_back(name);
    for (const auto& profile : profiles) {
      try {
        for (const auto& cell : expand_experiment(exp, profile, {})) {
          // The resolved config must survive its own JSON round trip.
          const Config again = Config::from_json(cell.config.to_json());
          if (again.to_json() != cell.config.to_json()) abort();
        }
      } catch (const hecto::common::InputError&) {
      }
    }
  } catch (const hecto::common::InputError&) {
  }
  return 0;
}
