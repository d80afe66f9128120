// The paper's claims, one row each: the effect we measured with its 95% interval over seeds,
// the paper's figure, the test, and a verdict. A directional claim is supported when the whole
// interval lies on its side of zero, contradicted when it lies on the other side, inconclusive
// otherwise; the non-inferiority claim (Hecto against the homogeneous pairs) uses a 1 pp margin.
#include <algorithm>
#include <functional>
#include <optional>

#include "reports/format.h"
#include "reports/stats.h"
#include "reports/tables.h"

namespace hecto::reports {

namespace {

// Which cells a side of a comparison is: AG News, a variant, a batch size, an encoder mode.
struct Selector {
  std::string variant = "hecto";
  int batch_size = 16;
  std::string mode = "finetuned";
};

enum class Direction { Positive, Negative, NotBelowMargin };

struct Claim {
  std::string text;
  std::string paper;
  std::string metric;       // a CellRow metric: accuracy, gru_share, gate_entropy_bits, top_expert_share
  double scale = 100;       // stored -> shown (pp, %)
  std::string unit = "pp";
  Selector a;               // the claim's effect is metric(a) - metric(b)
  std::optional<Selector> b;
  double reference = 0;     // one-sample claims: metric(a) - reference
  Direction direction = Direction::Positive;
  double margin = 0;        // NotBelowMargin: supported when the interval stays above -margin (shown units)
};

const std::vector<Claim>& claims() {
  static const std::vector<Claim> list = {
      {"Hecto is within the range of the homogeneous pairs (AG News accuracy, not below the better pair by more "
       "than 1 pp)",
       "Hecto 90.02; pairs in range", "accuracy", 100, "pp", {"hecto"}, Selector{"best_pair"}, 0,
       Direction::NotBelowMargin, 1.0},
      {"The gate sends most AG News inputs to the GRU expert (share above 50%)", "79.9% to the GRU", "gru_share", 100,
       "pp", {"hecto"}, std::nullopt, 0.5, Direction::Positive, 0},
      {"Batch 64 is more accurate than batch 16 (AG News)", "+0.80 pp (90.82 vs 90.02)", "accuracy", 100, "pp",
       {"hecto", 64}, Selector{"hecto", 16}, 0, Direction::Positive, 0},
      {"A frozen encoder costs accuracy (AG News)", "-2.26 pp (87.76 vs 90.02)", "accuracy", 100, "pp",
       {"hecto", 16, "frozen"}, Selector{"hecto", 16, "finetuned"}, 0, Direction::Negative, 0},
      {"A frozen encoder skews routing further to the GRU", "+12.6 pp (92.5% vs 79.9%)", "gru_share", 100, "pp",
       {"hecto", 16, "frozen"}, Selector{"hecto", 16, "finetuned"}, 0, Direction::Positive, 0},
      {"Without regularisers the gate entropy collapses", "-0.38 bits (0.02 vs 0.40)", "gate_entropy_bits", 1, "bits",
       {"no_reg"}, Selector{"hecto"}, 0, Direction::Negative, 0},
      {"Without regularisers routing collapses onto one expert", "99.7% to one expert", "top_expert_share", 100, "pp",
       {"no_reg"}, Selector{"hecto"}, 0, Direction::Positive, 0},
      {"Top-2 routing is more accurate than Top-1", "+0.58 pp", "accuracy", 100, "pp", {"top2"}, Selector{"hecto"}, 0,
       Direction::Positive, 0},
      {"Four experts are less accurate than two", "about -2.5 pp", "accuracy", 100, "pp", {"four_experts"},
       Selector{"hecto"}, 0, Direction::Negative, 0},
  };
  return list;
}

std::vector<double> values(const std::vector<const CellRow*>& cells, const Selector& s, const std::string& metric) {
  std::vector<double> out;
  for (const auto* c : cells) {
    // The claims are the paper's: its model reads [CLS]; cells of another view are other models.
    if (c->task != "agnews" || c->variant != s.variant || c->batch_size != s.batch_size ||
        c->encoder_mode != s.mode || c->pooling != "cls")
      continue;
    if (auto it = c->metrics.find(metric); it != c->metrics.end()) out.push_back(it->second);
  }
  return out;
}

// "best_pair": the homogeneous pair with the higher mean.
std::vector<double> side(const std::vector<const CellRow*>& cells, const Selector& s, const std::string& metric) {
  if (s.variant != "best_pair") return values(cells, s, metric);
  auto mean = [](const std::vector<double>& v) { return v.empty() ? -1.0 : summarize(v).mean; };
  Selector ffnn = s, gru = s;
  ffnn.variant = "ffnn_ffnn";
  gru.variant = "gru_gru";
  const auto f = values(cells, ffnn, metric), g = values(cells, gru, metric);
  return mean(f) >= mean(g) ? f : g;
}

std::string verdict_of(const Claim& claim, const Effect& e) {
  const double lo = e.low * claim.scale, hi = e.high * claim.scale;
  switch (claim.direction) {
    case Direction::Positive: return lo > 0 ? "supported" : hi < 0 ? "contradicted" : "inconclusive";
    case Direction::Negative: return hi < 0 ? "supported" : lo > 0 ? "contradicted" : "inconclusive";
    case Direction::NotBelowMargin:
      return lo > -claim.margin ? "supported" : hi < -claim.margin ? "contradicted" : "inconclusive";
  }
  return "inconclusive";
}

std::string test_of(const Claim& claim, const Effect& e) {
  const std::string n = claim.b ? "n=" + std::to_string(e.n_a) + " vs " + std::to_string(e.n_b)
                                : "n=" + std::to_string(e.n_a);
  return (claim.b ? "Welch t, " : "one-sample t vs " + fixed(claim.reference * claim.scale, 0) + "%, ") + n;
}

Table build(const std::vector<const CellRow*>& cells, const std::string& encoder, bool suffix) {
  Table t;
  t.id = suffix ? "claims_" + slug(encoder) : "claims";
  t.title = "The paper's claims, tested over seeds" + (suffix ? ", encoder " + encoder : "");
  t.encoder = encoder;
  t.header = {"claim", "paper", "ours: effect [95% CI]", "test", "verdict"};
  t.numeric = {false, false, true, false, false};
  t.csv_header = {"table", "encoder", "claim", "paper", "metric", "unit", "effect", "ci_low", "ci_high", "n_a", "n_b",
                  "test", "verdict"};
  for (const auto& claim : claims()) {
    const auto a = side(cells, claim.a, claim.metric);
    const auto effect = claim.b ? welch_effect(a, side(cells, *claim.b, claim.metric))
                                : one_sample_effect(a, claim.reference);
    if (!effect) {
      t.rows.push_back({claim.text, claim.paper, kDash, "fewer than 2 seeds a side", "inconclusive"});
      continue;
    }
    const int decimals = claim.unit == "bits" ? 3 : 2;
    const std::string shown = signed_fixed(effect->estimate * claim.scale, decimals) + " " + claim.unit + " [" +
                              signed_fixed(effect->low * claim.scale, decimals) + ", " +
                              signed_fixed(effect->high * claim.scale, decimals) + "]";
    const std::string verdict = verdict_of(claim, *effect), test = test_of(claim, *effect);
    t.rows.push_back({claim.text, claim.paper, shown, test, verdict});
    t.csv_rows.push_back({t.id, encoder, claim.text, claim.paper, claim.metric, claim.unit,
                          fixed(effect->estimate * claim.scale, 4), fixed(effect->low * claim.scale, 4),
                          fixed(effect->high * claim.scale, 4), std::to_string(effect->n_a),
                          std::to_string(effect->n_b), test, verdict});
  }
  t.notes = {
      "Effect: ours on AG News (batch 16, fine-tuned unless the claim says otherwise), mean over seeds; the interval "
      "is the 95% confidence interval (Welch's for two groups, Student's for one).",
      "supported: the whole interval lies on the claim's side of zero (for the first claim: above -1 pp); "
      "contradicted: it lies on the other side; inconclusive: it straddles. Three seeds resolve only large effects: "
      "an inconclusive row may need 5.",
  };
  return t;
}

}  // namespace

std::vector<Table> claims_tables(const Dataset& data) {
  std::vector<const CellRow*> cells;
  for (const auto* c : distinct_cells(data))
    if (!c->is_floor()) cells.push_back(c);
  std::vector<Table> testable, untestable;
  const auto setups = setups_of(cells);
  for (const auto& setup : setups) {
    std::vector<const CellRow*> mine;
    for (const auto* c : cells)
      if (setup_of(*c) == setup) mine.push_back(c);
    auto table = build(mine, setup, setups.size() > 1);
    (table.csv_rows.empty() ? untestable : testable).push_back(std::move(table));
  }
  // An encoder whose cells test no claim (a file that runs other variants, such as the offline
  // encoders' comparison) would add a table of dashes beside the one that says something.
  return testable.empty() ? untestable : testable;
}

}  // namespace hecto::reports
