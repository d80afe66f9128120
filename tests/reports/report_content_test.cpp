// What the tables say, cell by cell: paper figures, dashes, differences, seed-spread markers,
// encoder labels and warnings, messages for experiments with nothing done.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"
#include "reports/labels.h"
#include "reports/render.h"
#include "reports/report.h"
#include "reports/tables.h"
#include "tests/reports/report_fixtures.h"

namespace hecto::reports {
namespace {

class ReportContent : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = results::Store::open((dir_ / "fixture.db").string());
    fixtures::build_fixture_db(store);
    data_ = load_dataset(store, {});
    ref_ = fixtures::fixture_reference(dir_);
    report_ = build_report(data_, ref_);
  }
  const Table& table(const std::string& id) const {
    auto it = std::find_if(report_.tables.begin(), report_.tables.end(), [&](const Table& t) { return t.id == id; });
    if (it == report_.tables.end()) throw std::runtime_error("no table " + id);
    return *it;
  }
  // The text of the cell in the row whose first column is `row` under header `column` (nth match).
  static std::string at(const Table& t, const std::string& row, const std::string& column, int nth = 0) {
    size_t col = 0;
    for (size_t i = 0; i < t.header.size(); ++i)
      if (t.header[i] == column && nth-- == 0) col = i;
    for (const auto& r : t.rows)
      if (r[0] == row) return r.at(col);
    return "<no row>";
  }
  testing::TempDir dir_;
  Dataset data_;
  Reference ref_;
  Report report_;
};

TEST_F(ReportContent, MainTableHasOursAndThePapersFigureWithTheDifference) {
  const Table& t = table("main");
  EXPECT_EQ(t.header.at(1), "agnews accuracy (%)");
  EXPECT_EQ(t.header.at(2), "paper (Δ)");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "agnews accuracy (%)"), "81.00 ± 1.00 (n=3)");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "paper (Δ)", 0), "90.02 (-9.02)");
}

TEST_F(ReportContent, DashWhereThePaperReportsNothing) {
  const Table& t = table("main");
  EXPECT_EQ(at(t, "ffnn_ffnn (FFNN+FFNN)", "paper (Δ)", 0), "–");  // agnews accuracy: only hecto's is stated
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "paper (Δ)", 1), "–");       // agnews macro-F1: not in the fixture
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "stsb Pearson (x100)"), "55.00 ± 5.00 (n=3)");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "paper (Δ)", 2), "–");
  // CSV: no paper figure is an empty field, never a number.
  for (const auto& row : t.csv_rows)
    if (row[3] == "ffnn_ffnn") {
      EXPECT_EQ(row[13], "") << row[8];
    }
}

TEST_F(ReportContent, SeedSpreadVerdictAgainstTheFirstRow) {
  const Table& t = table("main");
  EXPECT_EQ(at(t, "ffnn_ffnn (FFNN+FFNN)", "agnews accuracy (%)"), "70.00 ± 1.00 (n=3) ▼");
  EXPECT_EQ(at(t, "ffnn_ffnn (FFNN+FFNN)", "agnews macro-F1 (%)"), "79.00 ± 1.00 (n=3) ≈");
  EXPECT_EQ(at(t, "ffnn_ffnn (FFNN+FFNN)", "stsb Pearson (x100)"), "54.50 ± 3.54 (n=2) ≈");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "agnews accuracy (%)").find("▼"), std::string::npos);
  bool legend = false;
  for (const auto& n : t.notes) legend = legend || n.find("Welch's t-test") != std::string::npos;
  EXPECT_TRUE(legend);
  for (const auto& row : t.csv_rows)
    if (row[3] == "ffnn_ffnn" && row[6] == "agnews" && row[8] == "accuracy") {
      EXPECT_EQ(row[15], "hecto (FFNN+GRU)");
      EXPECT_EQ(row[16], "lower");
    }
}

TEST_F(ReportContent, AblationsShowEntropyTopShareAndAccuracyDelta) {
  const Table& t = table("ablations");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "agnews gate entropy (bits)"), "0.390 ± 0.014 (n=2)");
  EXPECT_EQ(at(t, "hecto (FFNN+GRU)", "paper (Δ)", 2), "0.400 (-0.010)");
  EXPECT_EQ(at(t, "no_reg (no regularisers)", "agnews top-expert share (%)"), "100.0 ± 0.0 (n=2) ▲");
  EXPECT_EQ(at(t, "no_reg (no regularisers)", "paper (Δ)", 3), "99.7 (+0.3)");
  EXPECT_EQ(at(t, "no_reg (no regularisers)", "agnews accuracy vs hecto (pp)"), "-2.25 (n=2)");
  EXPECT_EQ(at(t, "no_reg (no regularisers)", "paper (Δ)", 4), "~-2.50 (+0.25)");
}

TEST_F(ReportContent, EveryTableNamesItsEncoderAndWarnsWhenItIsNotThePapers) {
  EXPECT_EQ(table("main").encoder, fixtures::kTinyEncoder);
  EXPECT_EQ(table("ablations").encoder, kPaperEncoder);
  const std::string md = render_markdown(report_);
  EXPECT_NE(md.find("Encoder: tiny test encoder\n\n> **WARNING: NOT the paper's encoder."), std::string::npos);
  EXPECT_NE(md.find("Encoder: distilbert-base-uncased\n\n| model"), std::string::npos);  // no warning
  EXPECT_EQ(encoder_warning(kPaperEncoder), "");
  EXPECT_NE(encoder_warning("offline MLM-pretrained dim 256 x 4").find("NOT the paper's encoder"), std::string::npos);
  EXPECT_NE(render_latex(report_).find("\\textbf{WARNING: NOT the paper's encoder."), std::string::npos);
}

TEST_F(ReportContent, IncompleteAndEmptyExperimentsAreSaid) {
  bool pending = false;
  for (const auto& n : table("main").notes)
    pending = pending || n.find("11 of 12 planned cells done (1 pending)") != std::string::npos;
  EXPECT_TRUE(pending);
  ASSERT_EQ(report_.messages.size(), 1u);
  EXPECT_NE(report_.messages[0].find("paper-encoder has no finished cells"), std::string::npos);
}

TEST_F(ReportContent, UsagePerClassWithThePapersOverallShare) {
  const Table& t = table("usage_tiny_test_encoder");
  // hecto agnews: seed s sends 5+s of 25 per class to the FFNN.
  ASSERT_GE(t.rows.size(), 5u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"agnews", "hecto (FFNN+GRU)", "batch 16, fine-tuned", "all", "100",
                                                 "24.0 ± 4.0 (n=3)", "–", "76.0 ± 4.0 (n=3)", "79.9 (-3.9)"}));
  EXPECT_EQ(t.rows[1][3], "World");
  EXPECT_EQ(t.rows[1][8], "–");  // no per-class figure in the paper
  // Homogeneous pairs are left out.
  for (const auto& r : t.rows) EXPECT_EQ(r[1].find("ffnn_ffnn"), std::string::npos);
  // A regression task has one row.
  EXPECT_EQ(t.rows.back()[0], "stsb");
  EXPECT_EQ(t.rows.back()[3], "all");
}

TEST_F(ReportContent, LatencyBesideThePapersT4Figure) {
  const Table& t = table("latency_tiny_test_encoder");
  EXPECT_EQ(t.rows[0][3], "2.1000 ± 0.1000 (n=3)");
  EXPECT_EQ(t.rows[0][4], "8.3000 (-6.2000)");
  EXPECT_EQ(t.rows[0][5], "Test CPU, 2 threads");
  EXPECT_EQ(table("bench").rows.at(0).at(0), "head_forward_seconds_per_sample");
}

TEST_F(ReportContent, PretrainingRun) {
  const Table& t = table("pretrain");
  EXPECT_EQ(t.rows.at(0), (std::vector<std::string>{"tiny test encoder", "300", "12.5", "9.500 -> 4.250", "100000",
                                                    "1234", "abcdef012345"}));
  EXPECT_EQ(t.encoder, fixtures::kTinyEncoder);
}

TEST_F(ReportContent, ProfileFollowsTheEncoders) {
  EXPECT_EQ(derive_profile(data_), "default");  // mixed
  Dataset d;
  d.cells.resize(2);
  d.cells[0].encoder_name = d.cells[1].encoder_name = "random-init distilbert dim 64 x 2 (smoke)";
  EXPECT_EQ(derive_profile(d), "smoke");
  d.cells[0].encoder_name = d.cells[1].encoder_name = "offline MLM-pretrained distilbert dim 256 x 4";
  EXPECT_EQ(derive_profile(d), "cpu");
  d.cells[0].encoder_name = d.cells[1].encoder_name = kPaperEncoder;
  EXPECT_EQ(derive_profile(d), "paper");
}

TEST_F(ReportContent, OneExperimentOnly) {
  auto store = results::Store::open((dir_ / "fixture.db").string(), results::Store::Mode::ReadOnly);
  const Dataset d = load_dataset(store, {"paper-ablations"});
  const Report r = build_report(d, ref_);
  EXPECT_EQ(r.tables.front().id, "ablations");
  for (const auto& t : r.tables) EXPECT_NE(t.id, "main");
  EXPECT_THROW(load_dataset(store, {"no-such"}), common::InputError);
}

TEST(ReportReference, TheRealFileLoadsWithEveryFigure) {
  const auto ref = load_reference((testing::source_dir() / "reports" / "paper_reference.json").string());
  EXPECT_EQ(ref.encoder, kPaperEncoder);
  EXPECT_GE(ref.figures.size(), 15u);
  const auto* acc = ref.find("agnews", "hecto", 16, "finetuned", "accuracy");
  ASSERT_NE(acc, nullptr);
  EXPECT_DOUBLE_EQ(acc->value, 90.02);
  const auto* latency = ref.find("agnews", "hecto", 16, "finetuned", "infer_s_per_sample");
  ASSERT_NE(latency, nullptr);
  EXPECT_EQ(latency->device, "NVIDIA T4 GPU");
  EXPECT_EQ(ref.find("sst2", "hecto", 16, "finetuned", "accuracy"), nullptr);
}

}  // namespace
}  // namespace hecto::reports

namespace hecto::reports {
namespace {

CellRow cell(const std::string& variant, const std::string& encoder, int seed, double accuracy,
             const std::string& kind = "hecto") {
  CellRow c;
  c.id = variant + encoder + std::to_string(seed);
  c.experiment = "paper-main";
  c.task = "agnews";
  c.variant = variant;
  c.encoder_mode = "finetuned";
  c.encoder_name = encoder;
  c.seed = seed;
  c.batch_size = 16;
  c.metrics["accuracy"] = accuracy;
  c.model_kind = kind;
  return c;
}

// Floors need no encoder: they are rows of every encoder's table, last, labelled as floors; cells
// computed on another device or in other numerics get a table of their own.
TEST(FloorRows, FloorsAreLabelledRowsOfEveryEncodersTable) {
  Dataset d;
  for (int seed = 0; seed < 2; ++seed) {
    d.cells.push_back(cell("hecto", "encoder A", seed, 0.80 + 0.01 * seed));
    d.cells.push_back(cell("hecto", "encoder B", seed, 0.70 + 0.01 * seed));
    d.cells.push_back(cell("tfidf", "none (floor)", seed, 0.878, "tfidf_linear"));
    d.cells.push_back(cell("majority", "none (floor)", seed, 0.25, "majority"));
  }
  auto gpu = cell("hecto", "encoder A", 0, 0.9);
  gpu.id = "gpu";
  gpu.device = "cuda";
  gpu.precision = "bf16";
  d.cells.push_back(gpu);
  Reference ref;
  const auto tables = comparison_tables(d, "paper-main", ref);
  ASSERT_EQ(tables.size(), 3u);  // encoder A on the CPU, on cuda in bf16, encoder B
  for (const auto& t : tables) {
    ASSERT_GE(t.rows.size(), 3u) << t.title;
    EXPECT_EQ(t.rows[t.rows.size() - 2][0], "floor: majority class") << t.title;
    EXPECT_EQ(t.rows[t.rows.size() - 2][1].rfind("25.00", 0), 0u) << t.rows[t.rows.size() - 2][1];
    EXPECT_EQ(t.rows.back()[0], "floor: TF-IDF + LIBLINEAR") << t.title;
    EXPECT_EQ(t.rows.back()[1].rfind("87.80", 0), 0u) << t.rows.back()[1];
  }
  EXPECT_NE(tables[1].title.find("encoder A, on cuda in bf16"), std::string::npos) << tables[1].title;
}

// An encoder whose cells test no claim gets no claims table beside one that tests some; alone,
// its table of dashes still says that nothing could be tested.
TEST(ClaimsTables, AnEncoderThatTestsNoClaimIsLeftOut) {
  Dataset d;
  for (int seed = 0; seed < 2; ++seed) {
    d.cells.push_back(cell("hecto", "encoder A", seed, 0.80 + 0.01 * seed));
    d.cells.push_back(cell("ffnn_ffnn", "encoder A", seed, 0.79 + 0.01 * seed));
    d.cells.push_back(cell("gru_gru", "encoder A", seed, 0.78 + 0.01 * seed));
    d.cells.push_back(cell("random_init", "encoder B", seed, 0.70 + 0.01 * seed));
  }
  const auto tables = claims_tables(d);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].encoder, "encoder A");
  EXPECT_FALSE(tables[0].csv_rows.empty());

  Dataset only_b;
  for (const auto& c : d.cells)
    if (c.encoder_name == "encoder B") only_b.cells.push_back(c);
  const auto alone = claims_tables(only_b);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_TRUE(alone[0].csv_rows.empty());
  EXPECT_EQ(alone[0].rows.front()[3], "fewer than 2 seeds a side");
}

// Beside the verdict on the sign, the paper's own effect is placed against our interval: inside
// it, or outside with ours smaller, larger or of the opposite sign; a dash where it has no figure.
TEST(ClaimsTables, ThePapersEffectIsPlacedAgainstOurInterval) {
  Dataset d;
  auto add = [&](const std::string& variant, int batch_size, const std::string& mode, double mean) {
    for (int seed = 0; seed < 3; ++seed) {
      auto c = cell(variant, "encoder A", seed, mean + 0.002 * (seed - 1));
      c.id += std::to_string(batch_size) + mode;
      c.batch_size = batch_size;
      c.encoder_mode = mode;
      d.cells.push_back(c);
    }
  };
  add("hecto", 16, "finetuned", 0.880);
  add("top2", 16, "finetuned", 0.885);          // +0.5 pp [+0.05, +0.95]: the paper's +0.58 inside
  add("four_experts", 16, "finetuned", 0.878);  // -0.2 pp: the paper's -2.5 outside, ours smaller
  add("hecto", 64, "finetuned", 0.870);         // -1.0 pp: the paper's +0.80 outside, opposite sign
  add("hecto", 16, "frozen", 0.830);            // -5.0 pp: the paper's -2.26 outside, ours larger
  const auto tables = claims_tables(d);
  ASSERT_EQ(tables.size(), 1u);
  const Table& t = tables[0];
  ASSERT_EQ(t.header.back(), "paper's effect vs our CI");
  auto against = [&](const std::string& claim_start) {
    for (const auto& r : t.rows)
      if (r[0].rfind(claim_start, 0) == 0) return r.back();
    return std::string("<no row>");
  };
  EXPECT_EQ(against("Top-2"), "inside");
  EXPECT_EQ(against("Four experts"), "outside: ours smaller");
  EXPECT_EQ(against("Batch 64"), "outside: opposite sign");
  EXPECT_EQ(against("A frozen encoder costs"), "outside: ours larger");
  EXPECT_EQ(against("Hecto is within"), "–");  // no pairs here, and the paper gives no effect
  for (const auto& r : t.csv_rows) {
    if (r[2].rfind("Top-2", 0) == 0) EXPECT_EQ(r[13], "0.5800");
  }
}

// Two views of the same model are two labelled rows, never one average; a floor has no view.
TEST(PoolingRows, AnotherViewIsARowOfItsOwn) {
  Dataset d;
  for (int seed = 0; seed < 2; ++seed) {
    d.cells.push_back(cell("hecto", "encoder A", seed, 0.80));
    auto pair = cell("hecto", "encoder A", seed, 0.60);
    pair.id += "pair";
    pair.pooling = "pair";
    d.cells.push_back(pair);
    auto floor = cell("tfidf", "none (floor)", seed, 0.878, "tfidf_linear");
    floor.pooling = "pair";  // recorded in its config, but it means nothing without a gate
    d.cells.push_back(floor);
  }
  const auto ref = load_reference((testing::source_dir() / "reports" / "paper_reference.json").string());
  const auto tables = comparison_tables(d, "paper-main", ref);
  ASSERT_EQ(tables.size(), 1u);
  const auto& rows = tables[0].rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], variant_label("hecto"));
  EXPECT_EQ(rows[0][1].rfind("80.00", 0), 0u) << rows[0][1];
  EXPECT_EQ(rows[1][0], variant_label("hecto") + ", pair view");
  EXPECT_EQ(rows[1][1].rfind("60.00", 0), 0u) << rows[1][1];
  for (size_t col = 2; col < rows[1].size(); ++col) EXPECT_EQ(rows[1][col].find("90.02"), std::string::npos);
  EXPECT_EQ(rows[2][0], "floor: TF-IDF + LIBLINEAR");
}

// Cells whose data came from the staged subsets are labelled, in the tables of their experiment
// and in the report's messages; cells without a recorded source (the fixture's) are not.
TEST_F(ReportContent, FiguresOnStagedSubsetsAreLabelled) {
  for (const auto& t : report_.tables)
    for (const auto& n : t.notes) EXPECT_EQ(n.find("Staged data"), std::string::npos) << n;
  Dataset data = data_;
  ASSERT_FALSE(data.cells.empty());
  const std::string experiment = data.cells.front().experiment;
  int in_experiment = 0;
  for (auto& c : data.cells)
    if (c.experiment == experiment) {
      c.data_source = in_experiment++ == 0 ? "staged" : "official";
    }
  const Report labelled = build_report(data, ref_);
  const std::string expected =
      "Staged data: 1 of " + std::to_string(in_experiment) + " cells were computed on the staged subsets";
  bool in_messages = false, in_tables = false;
  for (const auto& m : labelled.messages) in_messages |= m.find(expected) != std::string::npos;
  for (const auto& t : labelled.tables)
    for (const auto& n : t.notes) in_tables |= n.find(expected) != std::string::npos;
  EXPECT_TRUE(in_messages);
  EXPECT_TRUE(in_tables);
  EXPECT_NE(render_markdown(labelled).find(expected), std::string::npos);
}

}  // namespace
}  // namespace hecto::reports
