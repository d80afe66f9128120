// The one rule for signals: the first asks to stop, a copy within a second is the same request,
// and the scope restores whatever handler was there before it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/interrupt.h"

using namespace hecto::common;

namespace {
volatile sig_atomic_t g_previous_handler_ran = 0;
void previous_handler(int) { g_previous_handler_ran = 1; }
}  // namespace

TEST(Interrupt, FirstSignalRequestsAStopAndACopyWithinASecondIsTheSameRequest) {
  // In a child: a second signal later than a second would end the process, and the test with it.
  const pid_t pid = fork();
  if (pid == 0) {
    const InterruptScope scope("stopping after the current step");
    if (interrupt_requested()) _exit(10);
    raise(SIGINT);
    if (!interrupt_requested() || interrupt_signal() != SIGINT) _exit(11);
    raise(SIGTERM);  // within a second: ignored, the process lives on
    try {
      throw_if_interrupted();
      _exit(12);
    } catch (const Interrupted& e) {
      if (e.signal != SIGINT) _exit(13);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    raise(SIGTERM);  // later than a second: exits at once with 128 + SIGTERM
    _exit(14);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
}

TEST(Interrupt, TheScopeRestoresThePreviousHandlers) {
  struct sigaction sa {
  }, old{};
  sa.sa_handler = previous_handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old);
  { const InterruptScope scope("saving a checkpoint after this step"); }
  g_previous_handler_ran = 0;
  raise(SIGINT);
  EXPECT_EQ(g_previous_handler_ran, 1);
  sigaction(SIGINT, &old, nullptr);
}

TEST(Interrupt, ForwardingRecordsSignalsAndPassesEachOnOnce) {
  const pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  {
    const ForwardingScope forwarding;
    EXPECT_EQ(forward_signals({child}), 0);
    raise(SIGTERM);  // recorded, not acted on: this process lives on
    EXPECT_EQ(forward_signals({child}), SIGTERM);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}
