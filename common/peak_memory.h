#pragma once
// A cell's peak resident memory when several cells run in one process: the kernel's high-water
// mark (VmHWM) is reset when a cell starts and read when it ends. getrusage's ru_maxrss, the
// fallback where /proc is not writable, only ever grows over the process's life.
#include <cstdint>

namespace hecto::common {

// Resets the process's peak RSS to its current RSS (Linux 4.0+: "5" into /proc/self/clear_refs).
// Returns false, changing nothing, where the kernel refuses.
bool reset_peak_rss();

// The peak RSS in bytes since the last successful reset (or since the process started).
int64_t peak_rss_bytes();

}  // namespace hecto::common
