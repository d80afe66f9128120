#include "common/interrupt.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

namespace hecto::common {

namespace {

volatile std::sig_atomic_t g_signal = 0;
timespec g_first_at{};  // written only by the handler, before g_signal is set
char g_notice[160] = {};
size_t g_notice_length = 0;

volatile std::sig_atomic_t g_forward_count = 0, g_forward_signal = 0;
std::sig_atomic_t g_forwarded = 0;

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
  ssize_t ignored = write(STDERR_FILENO, g_notice, g_notice_length);
  (void)ignored;
}

void on_forwarded_signal(int sig) {
  g_forward_signal = sig;
  g_forward_count = g_forward_count + 1;
}

void install(void (*handler)(int), struct sigaction* old_int, struct sigaction* old_term) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, old_int);
  sigaction(SIGTERM, &sa, old_term);
}

void restore(const struct sigaction& old_int, const struct sigaction& old_term) {
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
}

}  // namespace

InterruptScope::InterruptScope(const std::string& notice) {
  const std::string text = "\nhecto: " + notice + " (signal again to stop now)\n";
  g_notice_length = std::min(text.size(), sizeof(g_notice));
  std::memcpy(g_notice, text.data(), g_notice_length);
  g_signal = 0;
  install(on_signal, &old_int_, &old_term_);
}

InterruptScope::~InterruptScope() { restore(old_int_, old_term_); }

bool interrupt_requested() { return g_signal != 0; }
int interrupt_signal() { return g_signal; }

void throw_if_interrupted() {
  if (g_signal != 0) throw Interrupted{g_signal};
}

ForwardingScope::ForwardingScope() { install(on_forwarded_signal, &old_int_, &old_term_); }
ForwardingScope::~ForwardingScope() { restore(old_int_, old_term_); }

int forward_signals(const std::vector<pid_t>& pids) {
  const std::sig_atomic_t count = g_forward_count;
  const int sig = g_forward_signal;
  for (; g_forwarded < count; ++g_forwarded)
    for (pid_t pid : pids) kill(pid, sig);
  return sig;
}

}  // namespace hecto::common
