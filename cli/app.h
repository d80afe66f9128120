#pragma once
// The `hecto` command line as a function, so tests can drive it without a process.
namespace hecto::cli {
int run_cli(int argc, char** argv);
}
