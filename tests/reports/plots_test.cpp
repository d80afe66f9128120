// The plots' data files and gnuplot scripts (drawing itself needs gnuplot and is checked only
// when it is installed).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "reports/gnuplot.h"
#include "reports/plots.h"
#include "tests/reports/report_fixtures.h"

namespace hecto::reports {
namespace {

class ReportPlots : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = results::Store::open((dir_ / "fixture.db").string());
    fixtures::build_fixture_db(store);
    data_ = load_dataset(store, {});
  }
  const Plot& plot(const std::string& name) {
    plots_ = all_plots(data_);
    auto it = std::find_if(plots_.begin(), plots_.end(), [&](const Plot& p) { return p.name == name; });
    if (it == plots_.end()) throw std::runtime_error("no plot " + name);
    return *it;
  }
  testing::TempDir dir_;
  Dataset data_;
  std::vector<Plot> plots_;
};

TEST_F(ReportPlots, WhichPlots) {
  std::vector<std::string> names;
  for (const auto& p : all_plots(data_)) names.push_back(p.name);
  // No model ran at two batch sizes, so there is no batch-size plot.
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "usage_agnews_b16_finetuned_distilbert_base_uncased", "usage_agnews_b16_finetuned_tiny_test_encoder",
                "usage_stsb_b16_finetuned_tiny_test_encoder", "gate_entropy_epochs_distilbert_base_uncased",
                "gate_entropy_epochs_tiny_test_encoder", "pretrain_loss"}));
}

TEST_F(ReportPlots, UsagePerClassData) {
  const Plot& p = plot("usage_agnews_b16_finetuned_tiny_test_encoder");
  EXPECT_EQ(p.encoder, fixtures::kTinyEncoder);
  EXPECT_EQ(p.data,
            "# Expert usage per class: agnews, hecto (FFNN+GRU), batch 16, fine-tuned\n"
            "# encoder: tiny test encoder (NOT the paper's encoder)\n"
            "# share of eval samples (%) by top-1 expert kind, mean and std over seeds\n"
            "# class_id class ffnn_mean ffnn_std ffnn_n gru_mean gru_std gru_n\n"
            "0 \"World\" 24.00 4.00 3 76.00 4.00 3\n"
            "1 \"Sports\" 24.00 4.00 3 76.00 4.00 3\n"
            "2 \"Business\" 24.00 4.00 3 76.00 4.00 3\n"
            "3 \"Sci/Tech\" 24.00 4.00 3 76.00 4.00 3\n");
}

TEST_F(ReportPlots, GateEntropyWithAndWithoutRegularisers) {
  const Plot& p = plot("gate_entropy_epochs_distilbert_base_uncased");
  EXPECT_EQ(p.data,
            "# Gate entropy over epochs, with and without the regularisers\n"
            "# encoder: distilbert-base-uncased\n"
            "# index 0: hecto (FFNN+GRU), agnews, batch 16, fine-tuned\n"
            "# epoch entropy_mean(bits) entropy_std n\n"
            "1 0.8500 0.0707 2\n"
            "2 0.5500 0.0707 2\n"
            "3 0.3900 0.0141 2\n"
            "\n\n"
            "# index 1: no_reg (no regularisers), agnews, batch 16, fine-tuned\n"
            "# epoch entropy_mean(bits) entropy_std n\n"
            "1 0.4500 0.0707 2\n"
            "2 0.0900 0.0141 2\n"
            "3 0.0250 0.0071 2\n");
  EXPECT_NE(p.body.find("index 1 using 1:2:3 with yerrorlines title 'no_reg (no regularisers), agnews"),
            std::string::npos);
}

TEST_F(ReportPlots, PretrainingLossCurve) {
  const Plot& p = plot("pretrain_loss");
  EXPECT_EQ(p.data, "# index 0: tiny test encoder (abcdef01)\n# step loss\n0 9.50000\n100 6.00000\n300 4.25000\n");
}

TEST_F(ReportPlots, BatchSizePlotWhenAModelRanAtTwoSizes) {
  Dataset d;
  for (int bs : {16, 64})
    for (int seed : {0, 1}) {
      CellRow c;
      c.id = std::to_string(bs) + "_" + std::to_string(seed);
      c.task = "agnews";
      c.variant = "hecto";
      c.encoder_mode = "finetuned";
      c.encoder_name = kPaperEncoder;
      c.batch_size = bs;
      c.seed = seed;
      c.metrics["accuracy"] = bs == 16 ? 0.90 + 0.01 * seed : 0.91;
      d.cells.push_back(c);
    }
  const auto plots = batch_size_plots(d);
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_EQ(plots[0].name, "accuracy_vs_batch_size");
  EXPECT_EQ(plots[0].data,
            "# Accuracy against batch size\n# encoder: distilbert-base-uncased\n"
            "# index 0: hecto (FFNN+GRU), agnews, fine-tuned\n# batch_size accuracy_mean(%) accuracy_std n\n"
            "16 90.50 0.71 2\n64 91.00 0.00 2\n");
  EXPECT_NE(plots[0].body.find("set xtics (16, 64)"), std::string::npos);
}

TEST_F(ReportPlots, ScriptDrawsPngAndSvgFromTheDataFile) {
  const Plot& p = plot("pretrain_loss");
  const std::string script = gnuplot_script(p, "pngcairo");
  EXPECT_NE(script.find("set terminal pngcairo"), std::string::npos);
  EXPECT_NE(script.find("set output 'pretrain_loss.png'"), std::string::npos);
  EXPECT_NE(script.find("set terminal svg"), std::string::npos);
  EXPECT_NE(script.find("set output 'pretrain_loss.svg'"), std::string::npos);
  EXPECT_NE(script.find("'pretrain_loss.dat' index 0 using 1:2"), std::string::npos);
}

TEST_F(ReportPlots, WritesDataAndScriptEvenWithoutGnuplot) {
  const Plot& p = plot("pretrain_loss");
  const auto files = write_plot(p, dir_ / "plots", Gnuplot{false, ""});
  EXPECT_TRUE(std::filesystem::exists(dir_ / "plots" / "pretrain_loss.dat"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "plots" / "pretrain_loss.gp"));
  EXPECT_EQ(files.png, "");
  EXPECT_EQ(files.svg, "");
}

TEST_F(ReportPlots, GnuplotDrawsWhenInstalled) {
  const Gnuplot g = detect_gnuplot();
  if (!g.available) GTEST_SKIP() << "gnuplot is not installed";
  const auto files = write_plot(plot("usage_agnews_b16_finetuned_tiny_test_encoder"), dir_ / "plots", g);
  EXPECT_EQ(files.error, "");
  EXPECT_EQ(files.png, "usage_agnews_b16_finetuned_tiny_test_encoder.png");
  EXPECT_EQ(files.svg, "usage_agnews_b16_finetuned_tiny_test_encoder.svg");
}

}  // namespace
}  // namespace hecto::reports
