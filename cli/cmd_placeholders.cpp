// Commands whose work later issues build. Each moves to its own cmd_<name>.cpp when it lands.
#include "cli/command.h"

namespace hecto::cli {

void add_bench_command(CommandContext ctx) { add_unavailable_command(ctx, "bench", "Run the benchmark suite"); }

}  // namespace hecto::cli
