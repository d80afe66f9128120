// The rendered tables of a fixture database against committed golden files
// (HECTO_UPDATE_GOLDEN=1 rewrites them).
#include <gtest/gtest.h>

#include "reports/render.h"
#include "reports/report.h"
#include "tests/reports/golden.h"
#include "tests/reports/report_fixtures.h"

namespace hecto::reports {
namespace {

class ReportGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = results::Store::open((dir_ / "fixture.db").string());
    fixtures::build_fixture_db(store);
    report_ = build_report(load_dataset(store, {}), fixtures::fixture_reference(dir_));
  }
  testing::TempDir dir_;
  Report report_;
};

TEST_F(ReportGolden, Markdown) { golden::expect_matches("tables.md", render_markdown(report_)); }

TEST_F(ReportGolden, Latex) { golden::expect_matches("tables.tex", render_latex(report_)); }

TEST_F(ReportGolden, CsvPerTable) {
  std::vector<std::string> ids;
  for (const auto& t : report_.tables) {
    ids.push_back(t.id);
    golden::expect_matches(t.id + ".csv", render_csv(t));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"main", "ablations", "claims_distilbert_base_uncased",
                                           "claims_tiny_test_encoder", "usage_distilbert_base_uncased",
                                           "usage_tiny_test_encoder", "latency_distilbert_base_uncased",
                                           "latency_tiny_test_encoder", "bench", "pretrain"}));
}

}  // namespace
}  // namespace hecto::reports
