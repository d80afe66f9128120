// The general-English corpus sources read what Debian's packages hold, cleaned of markup.
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <sstream>

#include "pretrain/general_text.h"
#include "tests/testing.h"

using namespace hecto::pretrain;

namespace {
size_t words(const std::vector<std::string>& texts) {
  size_t n = 0;
  for (const auto& t : texts) {
    std::istringstream in(t);
    for (std::string w; in >> w;) ++n;
  }
  return n;
}
}  // namespace

TEST(GeneralText, WordNetGlossesAndGcideDefinitionsWithoutMarkup) {
  if (!std::filesystem::exists("/usr/share/wordnet/data.noun") || !std::filesystem::exists("/usr/share/dictd/gcide.dict.dz"))
    GTEST_SKIP() << "wordnet-base or dict-gcide not installed (scripts/install-deps.sh installs them)";
  const auto glosses = wordnet_glosses();
  EXPECT_EQ(glosses.size(), 117659u);
  EXPECT_GT(words(glosses), 1'400'000u);
  const auto defs = gcide_definitions();
  EXPECT_GT(defs.size(), 150'000u);
  EXPECT_GT(words(defs), 3'000'000u);
  size_t markup = 0;
  for (const auto& d : defs) markup += d.find('\\') != std::string::npos || d.find('[') != std::string::npos ||
                                       d.find('{') != std::string::npos || d.find("--") == 0;
  EXPECT_LT(markup, defs.size() / 100) << "pronunciations, etymologies or braces left in";
}

TEST(GeneralText, HotpotParagraphsOnlyFromTheTrainingAndDevelopmentSubsets) {
  HECTO_REQUIRE_SHARED_DATA();
  const auto paragraphs = hotpot_paragraphs(hecto::testing::shared_data_dir().string());
  EXPECT_GT(paragraphs.size(), 5000u);
  EXPECT_LT(paragraphs.size(), 7000u);
}
