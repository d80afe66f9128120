// hecto as a user starts it on a machine whose environment leaves OPENBLAS_CORETYPE unset.
#include <gtest/gtest.h>

#include "runtime/runtime.h"
#include "tests/testing.h"

using namespace hecto::runtime;

TEST(Runtime, AnUnsetCoreTypeBecomesTheRecommendedOne) {
  const auto core = recommended_openblas_coretype();
  if (core.empty()) GTEST_SKIP() << "OpenBLAS recognises this CPU by itself";
  const auto out = hecto::testing::run_command("env -u OPENBLAS_CORETYPE -u HECTO_NO_REEXEC " +
                                               (hecto::testing::binary_dir() / "hecto").string() + " --version 2>&1");
  EXPECT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(out.output.find("blas core: " + core + " (OPENBLAS_CORETYPE=" + core + ")"), std::string::npos)
      << out.output;
}
