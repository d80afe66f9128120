#pragma once
// `hecto` as a child process a test can signal at a chosen moment: started with fork/exec (not a
// shell, so the pid is hecto's own), its output going to a file the test reads afterwards.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "results/store.h"
#include "tests/testing.h"

namespace hecto::testing {

inline std::string hecto_binary() { return (binary_dir() / "hecto").string(); }

// Starts argv (argv[0] a path) with stdout and stderr appended to log_path.
inline pid_t spawn_logged(const std::vector<std::string>& argv, const std::string& log_path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

// The child's exit code (128 + signal when a signal ended it); -1 when it was still running at
// the deadline (it is then killed, so no test leaves a process behind).
inline int wait_for_exit(pid_t pid, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first column of the first row, or "" (also when the database cannot be read yet).
inline std::string db_scalar(const std::string& db, const std::string& sql) {
  try {
    const auto r = results::Store::open(db, results::Store::Mode::ReadOnly).query(sql);
    return r.rows.empty() || r.rows[0].empty() ? "" : r.rows[0][0];
  } catch (const std::exception&) {
    return "";
  }
}

// Polls until sql returns a non-empty value other than "0"; false at the deadline.
inline bool wait_for_db(const std::string& db, const std::string& sql, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string v = db_scalar(db, sql);
    if (!v.empty() && v != "0") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

}  // namespace hecto::testing
