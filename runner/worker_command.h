#pragma once
// The command line of a `--jobs N` worker, built from the parsed options (never by filtering the
// parent's argv, which breaks on attached forms such as -j2 or --jobs=2): the same run with
// --jobs 1 and its share of the threads.
#include <string>
#include <vector>

#include "runner/run.h"

namespace hecto::runner {

// argv[0] is /proc/self/exe; global options (verbosity, log file, threads) come before `run`.
// `device` replaces options.device (a worker on a GPU machine sees only its own GPU, as cuda:0).
std::vector<std::string> worker_arguments(const RunOptions& options, int threads, const std::string& device);

}  // namespace hecto::runner
