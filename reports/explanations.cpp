// The gate's integrated gradients for the stored evaluation inputs: a table of the tokens that
// pushed each input hardest towards the expert it got (every format), and the same inputs as
// highlighted text in the HTML report.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "reports/explanations.h"
#include "reports/format.h"
#include "reports/labels.h"

namespace hecto::reports {

namespace {

const CellRow* cell_of(const Dataset& data, const std::string& id) {
  for (const auto& c : data.cells)
    if (c.id == id) return &c;
  return nullptr;
}

std::string cell_caption(const CellRow& c) {
  return task_label(c.task, c.framing) + " " + variant_label(c.variant) + " seed " + std::to_string(c.seed) + ", " +
         encoder_mode_label(c.encoder_mode);
}

// The k tokens with the largest scores, "word (+0.42)".
std::string top_tokens(const AttributionRow& a, size_t k) {
  std::vector<size_t> order(a.tokens.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return a.scores[x] > a.scores[y]; });
  std::string out;
  for (size_t i = 0; i < std::min(k, order.size()); ++i)
    out += (out.empty() ? "" : ", ") + a.tokens[order[i]] + " (" + signed_fixed(a.scores[order[i]], 2) + ")";
  return out;
}

}  // namespace

std::vector<Table> explanation_tables(const Dataset& data) {
  if (data.attributions.empty()) return {};
  Table t;
  t.id = "explanations";
  t.title = "Why the gate chose its expert: integrated gradients of the chosen expert's gate logit";
  t.header = {"cell", "class", "expert", "tokens pushing towards it most", "completeness error"};
  t.numeric = {false, false, false, false, true};
  t.csv_header = {"table", "cell_id", "example", "true_class", "expert_kind", "tokens_json", "scores_json",
                  "completeness_error"};
  for (const auto& a : data.attributions) {
    const CellRow* c = cell_of(data, a.cell_id);
    if (!c) continue;
    t.rows.push_back({cell_caption(*c), class_label(c->task, c->framing, a.true_class), a.expert_kind,
                      top_tokens(a, 5), fixed(100 * a.completeness_error, 2) + "%"});
    std::string tokens = "[", scores = "[";
    for (size_t i = 0; i < a.tokens.size(); ++i) {
      tokens += (i ? "," : "") + std::string("\"") + a.tokens[i] + "\"";
      scores += (i ? "," : "") + fixed(a.scores[i], 6);
    }
    t.csv_rows.push_back({t.id, a.cell_id, std::to_string(a.example), std::to_string(a.true_class), a.expert_kind,
                          tokens + "]", scores + "]", fixed(a.completeness_error, 6)});
  }
  t.notes = {
      "Each token's score is its share of the change in the chosen expert's gate logit between an all-zero "
      "word-embedding baseline and the input (integrated gradients along the straight path).",
      "Completeness: the scores sum to that change; the error is |sum - change| / |change| (the path is refined "
      "until it is below 1%).",
      "The HTML report shows every stored input as highlighted text."};
  return {t};
}

std::vector<Highlight> highlights(const Dataset& data) {
  std::vector<Highlight> out;
  for (const auto& a : data.attributions) {
    const CellRow* c = cell_of(data, a.cell_id);
    if (!c) continue;
    Highlight h;
    h.caption = cell_caption(*c) + " · class " + class_label(c->task, c->framing, a.true_class) + " · to the " +
                a.expert_kind + " expert · completeness error " + fixed(100 * a.completeness_error, 2) + "%";
    h.tokens = a.tokens;
    h.scores = a.scores;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace hecto::reports
