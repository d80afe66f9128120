#pragma once
// One rule for stopping any long command (hecto run, hecto pretrain) with SIGINT or SIGTERM:
//   - the first signal asks the work to stop at its next safe point (the current cell is put
//     back to pending; pretraining saves a checkpoint) and prints what will happen;
//   - copies of it within one second are the same request (Ctrl-C reaches a --jobs worker both
//     from the terminal and from its parent);
//   - a signal more than a second after the first exits at once (128 + signal).
// Handlers are installed for the lifetime of an InterruptScope and the previous ones restored
// after it, so a library call never leaves its handlers behind.
#include <sys/types.h>

#include <csignal>
#include <string>
#include <vector>

namespace hecto::common {

class InterruptScope {
 public:
  // `notice`: what the first signal makes happen, e.g. "stopping after the current step".
  explicit InterruptScope(const std::string& notice);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

bool interrupt_requested();
int interrupt_signal();  // the signal received, 0 if none
struct Interrupted {
  int signal;
};
// Throws Interrupted when a stop was requested.
void throw_if_interrupted();

// For a process that only supervises workers (--jobs): SIGINT/SIGTERM are recorded, never acted
// on, and forward_signals passes each one on, so `kill <parent>` stops the workers too.
class ForwardingScope {
 public:
  ForwardingScope();
  ~ForwardingScope();
  ForwardingScope(const ForwardingScope&) = delete;
  ForwardingScope& operator=(const ForwardingScope&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};
// Sends every signal received since the last call to each pid; returns the last one (0: none yet).
int forward_signals(const std::vector<pid_t>& pids);

}  // namespace hecto::common
