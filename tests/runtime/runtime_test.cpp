#include <gtest/gtest.h>

#include <cstdlib>

#include "runtime/runtime.h"

using namespace hecto::runtime;

TEST(Runtime, ExplicitThreadsWinOverEnvironment) {
  setenv("HECTO_THREADS", "3", 1);
  EXPECT_EQ(resolve_threads(5), 5);
  EXPECT_EQ(resolve_threads(0), 3);
  unsetenv("HECTO_THREADS");
  EXPECT_EQ(resolve_threads(0), physical_cores());
}

TEST(Runtime, SetTorchThreadsTakesEffect) {
  int before = torch_threads();
  set_torch_threads(1);
  EXPECT_EQ(torch_threads(), 1);
  set_torch_threads(before);
}

TEST(Runtime, TestProcessRunsOnOpenBlasWithTheCoreTypeInItsEnvironment) {
  // The shared test main re-executes with OPENBLAS_CORETYPE set, exactly as `hecto` does; a value
  // the machine's environment already sets is kept (and is what OpenBLAS runs).
  auto info = blas_info();
  EXPECT_NE(info.library.find("openblas"), std::string::npos) << info.library;
  if (!recommended_openblas_coretype().empty()) {
    ASSERT_FALSE(info.coretype_env.empty());
    EXPECT_EQ(info.corename, info.coretype_env == "SkylakeX" ? "SkylakeX" : "Haswell") << info.config;
  }
  EXPECT_GE(physical_cores(), 1);
  EXPECT_FALSE(cpu_model().empty());
}
