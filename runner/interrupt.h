#pragma once
// SIGINT/SIGTERM handling for long runs: the first signal asks the current cell to stop at the
// next step (it is put back to pending and the run exits with a resume hint); a second one
// exits at once (the cell's lease then expires and the next run reclaims it).
namespace hecto::runner {

void install_interrupt_handlers();
bool interrupt_requested();
int interrupt_signal();  // the signal received, 0 if none

struct Interrupted {
  int signal;
};
// Throws Interrupted when a stop was requested.
void throw_if_interrupted();

}  // namespace hecto::runner
