#pragma once
// Golden files: tests/reports/golden/<name>. HECTO_UPDATE_GOLDEN=1 rewrites them from the
// current output (then review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/env.h"
#include "tests/testing.h"

namespace hecto::reports::golden {

inline void expect_matches(const std::string& name, const std::string& actual) {
  const auto path = testing::source_dir() / "tests" / "reports" / "golden" / name;
  const auto update = hecto::common::env::get("HECTO_UPDATE_GOLDEN");
  if (update == "1") {
    testing::write_file(path, actual);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << "; create it with HECTO_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "output differs from " << path
      << "; if the change is intended, rerun with HECTO_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace hecto::reports::golden
