#include <gtest/gtest.h>

#include <regex>

#include "runtime/build_info.h"

using namespace hecto::runtime;

TEST(BuildInfo, CarriesRealProvenance) {
  const auto& b = build_info();
  EXPECT_TRUE(b.git_commit == "unknown" || std::regex_match(b.git_commit, std::regex("[0-9a-f]{40}"))) << b.git_commit;
  EXPECT_EQ(b.torch_version.rfind("1.", 0), 0u) << b.torch_version;
  EXPECT_FALSE(b.compiler.empty());
  EXPECT_FALSE(b.build_type.empty());
}

TEST(BuildInfo, DescriptionListsBlasAndThreads) {
  auto text = describe_build(true);
  for (const char* key : {"commit:", "compiler:", "libtorch:", "blas:", "blas core:", "threads:", "cpu:"})
    EXPECT_NE(text.find(key), std::string::npos) << key << " missing in\n" << text;
}
