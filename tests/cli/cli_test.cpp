#include <gtest/gtest.h>

#include "tests/testing.h"

using hecto::testing::run_command;

namespace {
std::string hecto_bin() { return (hecto::testing::binary_dir() / "hecto").string(); }
}  // namespace

TEST(Cli, HelpListsEverySubcommand) {
  auto r = run_command(hecto_bin() + " --help");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* sub : {"plan", "run", "status", "report", "query", "merge", "slurm", "data", "tokenize", "encode",
                          "bench", "pretrain"})
    EXPECT_NE(r.output.find(std::string("  ") + sub), std::string::npos) << sub << "\n" << r.output;
}

TEST(Cli, VersionPrintsCommitBlasAndThreads) {
  auto r = run_command("env -u OPENBLAS_CORETYPE -u HECTO_NO_REEXEC " + hecto_bin() + " --threads 2 --version");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("commit:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("threads:   2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("openblas"), std::string::npos) << r.output;
}

TEST(Cli, HectoSetsTheOpenBlasCoreTypeItself) {
  // A user who never heard of OPENBLAS_CORETYPE still gets the fast kernels.
  auto r = run_command("env -u OPENBLAS_CORETYPE -u HECTO_NO_REEXEC " + hecto_bin() + " --version");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("OPENBLAS_CORETYPE=unset"), std::string::npos) << r.output;
}

TEST(Cli, OpenMpThreadsSpinBrieflyUnlessTheUserSaysOtherwise) {
  // A short spin: long ones made a cell 4-5x slower on a busy machine, none paid a wake-up per
  // parallel region (runtime/runtime.cpp).
  auto r = run_command("env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u HECTO_NO_REEXEC " + hecto_bin() + " --version");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("OMP_WAIT_POLICY=unset, GOMP_SPINCOUNT=1000"), std::string::npos) << r.output;
  r = run_command("env -u HECTO_NO_REEXEC -u GOMP_SPINCOUNT OMP_WAIT_POLICY=PASSIVE " + hecto_bin() + " --version");
  EXPECT_NE(r.output.find("OMP_WAIT_POLICY=PASSIVE, GOMP_SPINCOUNT=unset"), std::string::npos) << r.output;
  r = run_command("env -u HECTO_NO_REEXEC -u OMP_WAIT_POLICY GOMP_SPINCOUNT=50 " + hecto_bin() + " --version");
  EXPECT_NE(r.output.find("OMP_WAIT_POLICY=unset, GOMP_SPINCOUNT=50"), std::string::npos) << r.output;
}

TEST(Cli, UserCoreTypeIsRespected) {
  auto r = run_command("env OPENBLAS_CORETYPE=Haswell " + hecto_bin() + " --version");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("OPENBLAS_CORETYPE=Haswell"), std::string::npos) << r.output;
}

TEST(Cli, BadFlagsExitWithTwo) {
  EXPECT_EQ(run_command(hecto_bin() + " --no-such-flag").exit_code, 2);
  EXPECT_EQ(run_command(hecto_bin() + " --threads 0 --version").exit_code, 2);
  EXPECT_EQ(run_command(hecto_bin() + " frobnicate").exit_code, 2);
}
