#pragma once
// SIGINT/SIGTERM handling for long runs: the first signal asks the current cell to stop at the
// next step (it is put back to pending and the run exits with a resume hint); a second one
// more than a second later exits at once (the cell's lease then expires and the next run
// reclaims it). Copies of the first signal within that second are one request: Ctrl-C reaches
// a --jobs worker both from the terminal and from its parent.
#include <sys/types.h>

#include <vector>

namespace hecto::common {

void install_interrupt_handlers();
bool interrupt_requested();
int interrupt_signal();  // the signal received, 0 if none

struct Interrupted {
  int signal;
};
// Throws Interrupted when a stop was requested.
void throw_if_interrupted();

// For a process that only supervises workers (--jobs): SIGINT/SIGTERM are recorded, never acted
// on, and forward_signals passes each one on, so `kill <parent>` stops the workers too.
void install_forwarding_handlers();
// Sends every signal received since the last call to each pid; returns the last one (0: none yet).
int forward_signals(const std::vector<pid_t>& pids);

}  // namespace hecto::common
