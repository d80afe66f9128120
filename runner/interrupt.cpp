#include "runner/interrupt.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace hecto::runner {

namespace {
volatile std::sig_atomic_t g_signal = 0;

void on_signal(int sig) {
  if (g_signal != 0) _exit(128 + sig);
  g_signal = sig;
  const char msg[] = "\nhecto: stopping after the current step (signal again to stop now)\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupt_requested() { return g_signal != 0; }
int interrupt_signal() { return g_signal; }

void throw_if_interrupted() {
  if (g_signal != 0) throw Interrupted{g_signal};
}

}  // namespace hecto::runner
