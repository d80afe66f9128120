#include "common/interrupt.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace hecto::common {

namespace {
volatile std::sig_atomic_t g_signal = 0;
timespec g_first_at{};  // written only by the handler, before g_signal is set

volatile std::sig_atomic_t g_forward_count = 0, g_forward_signal = 0;

double seconds_between(const timespec& a, const timespec& b) {
  return static_cast<double>(b.tv_sec - a.tv_sec) + static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e9;
}

void on_signal(int sig) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (g_signal != 0) {
    if (seconds_between(g_first_at, now) < 1.0) return;
    _exit(128 + sig);
  }
  g_first_at = now;
  g_signal = sig;
  const char msg[] = "\nhecto: stopping after the current step (signal again to stop now)\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
}

void on_forwarded_signal(int sig) {
  g_forward_signal = sig;
  g_forward_count = g_forward_count + 1;
}

void install(void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}
}  // namespace

void install_interrupt_handlers() { install(on_signal); }

bool interrupt_requested() { return g_signal != 0; }
int interrupt_signal() { return g_signal; }

void throw_if_interrupted() {
  if (g_signal != 0) throw Interrupted{g_signal};
}

void install_forwarding_handlers() { install(on_forwarded_signal); }

int forward_signals(const std::vector<pid_t>& pids) {
  static std::sig_atomic_t forwarded = 0;
  const std::sig_atomic_t count = g_forward_count;
  const int sig = g_forward_signal;
  for (; forwarded < count; ++forwarded)
    for (pid_t pid : pids) kill(pid, sig);
  return sig;
}

}  // namespace hecto::common
