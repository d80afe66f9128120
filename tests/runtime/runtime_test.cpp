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

TEST(Runtime, TestProcessRunsOnOpenBlasWithTheRecommendedCoreType) {
  // The shared test main re-executes with OPENBLAS_CORETYPE set, exactly as `hecto` does.
  auto info = blas_info();
  EXPECT_NE(info.library.find("openblas"), std::string::npos) << info.library;
  auto core = recommended_openblas_coretype();
  if (!core.empty()) {
    EXPECT_EQ(info.coretype_env, core);
    EXPECT_EQ(info.corename, core == "SkylakeX" ? "SkylakeX" : "Haswell") << info.config;
  }
  EXPECT_GE(physical_cores(), 1);
  EXPECT_FALSE(cpu_model().empty());
}
