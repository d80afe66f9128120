// The environment table: the docs list exactly the variables the code knows, an undocumented
// name cannot be read, and no product source reads the environment behind the table's back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/env.h"
#include "tests/testing.h"

namespace fs = std::filesystem;
using namespace hecto::common;

TEST(Env, DocsListExactlyTheVariablesTheCodeKnows) {
  std::ifstream in(hecto::testing::source_dir() / "docs" / "environment.md");
  ASSERT_TRUE(in);
  std::set<std::string> documented;
  const std::regex row(R"(^\| `([A-Z_]+)` \|)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row)) documented.insert(m[1]);
  }
  std::set<std::string> known;
  for (const auto& v : env::variables()) known.insert(v.name);
  EXPECT_EQ(documented, known);
}

TEST(Env, AnUndocumentedNameIsRefused) {
  EXPECT_THROW(env::get("HECTO_SOMETHING_NEW"), std::logic_error);
  EXPECT_THROW(env::set("HECTO_SOMETHING_NEW", "1"), std::logic_error);
  env::set("HECTO_DEVICE", "cpu");
  EXPECT_EQ(env::get("HECTO_DEVICE").value_or(""), "cpu");
  env::unset("HECTO_DEVICE");
  EXPECT_FALSE(env::get("HECTO_DEVICE").has_value());
}

TEST(Env, NoProductSourceReadsTheEnvironmentDirectly) {
  const std::regex direct(R"(\b(getenv|secure_getenv|setenv|unsetenv)\s*\()");
  std::vector<std::string> offenders;
  for (const auto& entry : fs::recursive_directory_iterator(hecto::testing::source_dir())) {
    const auto rel = fs::relative(entry.path(), hecto::testing::source_dir()).string();
    if (!entry.is_regular_file() || rel.rfind("tests/", 0) == 0 || rel.rfind("build", 0) == 0 ||
        rel.rfind(".git", 0) == 0 || rel == "common/env.cpp")
      continue;
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".h") continue;
    std::ifstream f(entry.path());
    std::stringstream text;
    text << f.rdbuf();
    if (std::regex_search(text.str(), direct)) offenders.push_back(rel);
  }
  std::string list;
  for (const auto& o : offenders) list += " " + o;
  EXPECT_TRUE(offenders.empty()) << "read the environment through common/env.h:" << list;
}
