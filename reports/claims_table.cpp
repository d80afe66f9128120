// The paper's claims, one row each: the effect we measured with its 95% interval over seeds,
// the paper's figure, the test, and a verdict. A directional claim is supported when the whole
// interval lies on its side of zero, contradicted when it lies on the other side, inconclusive
// otherwise; the non-inferiority claim (Hecto against the homogeneous pairs) uses a 1 pp margin.
// A verdict tests the sign; a second column says whether the paper's own effect lies inside our
// interval, since a supported sign can hide an effect a tenth of the paper's (or ten times it).
#include <algorithm>
#include <cmath>
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
  std::optional<double> paper_effect;  // the paper's effect in shown units, where its figures give one
};

const std::vector<Claim>& claims() {
  static const std::vector<Claim> list = {
      {"Hecto is within the range of the homogeneous pairs (AG News accuracy, not below the better pair by more "
       "than 1 pp)",
       "Hecto 90.02; pairs in range", "accuracy", 100, "pp", {"hecto"}, Selector{"best_pair"}, 0,
       Direction::NotBelowMargin, 1.0, std::nullopt},
      {"The gate sends most AG News inputs to the GRU expert (share above 50%)", "79.9% to the GRU", "gru_share", 100,
       "pp", {"hecto"}, std::nullopt, 0.5, Direction::Positive, 0, 29.9},
      {"Batch 64 is more accurate than batch 16 (AG News)", "+0.80 pp (90.82 vs 90.02)", "accuracy", 100, "pp",
       {"hecto", 64}, Selector{"hecto", 16}, 0, Direction::Positive, 0, 0.80},
      {"A frozen encoder costs accuracy (AG News)", "-2.26 pp (87.76 vs 90.02)", "accuracy", 100, "pp",
       {"hecto", 16, "frozen"}, Selector{"hecto", 16, "finetuned"}, 0, Direction::Negative, 0, -2.26},
      {"A frozen encoder skews routing further to the GRU", "+12.6 pp (92.5% vs 79.9%)", "gru_share", 100, "pp",
       {"hecto", 16, "frozen"}, Selector{"hecto", 16, "finetuned"}, 0, Direction::Positive, 0, 12.6},
      {"Without regularisers the gate entropy collapses", "-0.38 bits (0.02 vs 0.40)", "gate_entropy_bits", 1, "bits",
       {"no_reg"}, Selector{"hecto"}, 0, Direction::Negative, 0, -0.38},
      // The paper's Hecto sends 79.9% to its busier expert (the GRU): 99.7% is +19.8 pp over it.
      {"Without regularisers routing collapses onto one expert", "99.7% to one expert (+19.8 pp over 79.9%)",
       "top_expert_share", 100, "pp", {"no_reg"}, Selector{"hecto"}, 0, Direction::Positive, 0, 19.8},
      {"Top-2 routing is more accurate than Top-1", "+0.58 pp", "accuracy", 100, "pp", {"top2"}, Selector{"hecto"}, 0,
       Direction::Positive, 0, 0.58},
      {"Four experts are less accurate than two", "about -2.5 pp", "accuracy", 100, "pp", {"four_experts"},
       Selector{"hecto"}, 0, Direction::Negative, 0, -2.5},
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

// Where the paper's effect falls against our interval: inside it, or outside and on which side.
std::string paper_effect_against(const Claim& claim, const Effect& e) {
  if (!claim.paper_effect) return kDash;
  const double paper = *claim.paper_effect, ours = e.estimate * claim.scale;
  if (paper >= e.low * claim.scale && paper <= e.high * claim.scale) return "inside";
  if ((paper > 0) != (ours > 0)) return "outside: opposite sign";
  return std::abs(paper) > std::abs(ours) ? "outside: ours smaller" : "outside: ours larger";
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
  t.header = {"claim", "paper", "ours: effect [95% CI]", "test", "verdict", "paper's effect vs our CI"};
  t.numeric = {false, false, true, false, false, false};
  t.csv_header = {"table", "encoder", "claim", "paper", "metric", "unit", "effect", "ci_low", "ci_high", "n_a", "n_b",
                  "test", "verdict", "paper_effect", "paper_effect_vs_ci"};
  for (const auto& claim : claims()) {
    const auto a = side(cells, claim.a, claim.metric);
    const auto effect = claim.b ? welch_effect(a, side(cells, *claim.b, claim.metric))
                                : one_sample_effect(a, claim.reference);
    if (!effect) {
      t.rows.push_back({claim.text, claim.paper, kDash, "fewer than 2 seeds a side", "inconclusive", kDash});
      continue;
    }
    const int decimals = claim.unit == "bits" ? 3 : 2;
    const std::string shown = signed_fixed(effect->estimate * claim.scale, decimals) + " " + claim.unit + " [" +
                              signed_fixed(effect->low * claim.scale, decimals) + ", " +
                              signed_fixed(effect->high * claim.scale, decimals) + "]";
    const std::string verdict = verdict_of(claim, *effect), test = test_of(claim, *effect);
    const std::string against_paper = paper_effect_against(claim, *effect);
    t.rows.push_back({claim.text, claim.paper, shown, test, verdict, against_paper});
    t.csv_rows.push_back({t.id, encoder, claim.text, claim.paper, claim.metric, claim.unit,
                          fixed(effect->estimate * claim.scale, 4), fixed(effect->low * claim.scale, 4),
                          fixed(effect->high * claim.scale, 4), std::to_string(effect->n_a),
                          std::to_string(effect->n_b), test, verdict,
                          claim.paper_effect ? fixed(*claim.paper_effect, 4) : "", against_paper});
  }
  t.notes = {
      "Effect: ours on AG News (batch 16, fine-tuned unless the claim says otherwise), mean over seeds; the interval "
      "is the 95% confidence interval (Welch's for two groups, Student's for one).",
      "supported: the whole interval lies on the claim's side of zero (for the first claim: above -1 pp); "
      "contradicted: it lies on the other side; inconclusive: it straddles. Three seeds resolve only large effects: "
      "an inconclusive row may need 5.",
      "paper's effect vs our CI: whether the paper's own effect (its figures, in the same units) lies inside our "
      "interval; outside, whether ours is smaller, larger or of the opposite sign. A supported verdict with the "
      "paper's effect outside says the direction reproduces and the size does not.",
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
