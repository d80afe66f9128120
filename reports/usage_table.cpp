// Expert usage per task and per true class: the paper's interpretability claim (e.g. AG News
// sends ~80% of inputs to the GRU expert), read from the top-1 routing counts.
#include <algorithm>
#include <map>
#include <set>

#include "reports/format.h"
#include "reports/keys.h"
#include "reports/tables.h"

namespace hecto::reports {

namespace {

// Pairs of one expert kind route everything to that kind by construction; they say nothing here.
bool heterogeneous(const std::string& variant) { return variant != "ffnn_ffnn" && variant != "gru_gru"; }

// The expert kinds these cells routed to, in a fixed order (FFNN and GRU always: the paper's).
std::vector<std::string> kinds_of(const Dataset& data, const std::vector<const CellRow*>& cells) {
  std::vector<std::string> kinds = {"ffnn", "gru"};
  for (const auto* c : cells)
    for (const auto& r : data.routing.at(c->id))
      if (std::find(kinds.begin(), kinds.end(), r.expert_kind) == kinds.end()) kinds.push_back(r.expert_kind);
  return kinds;
}

// One cell's routing for one class (or all, class = kAll): samples and share per kind.
constexpr int kAll = -2;

struct Shares {
  double samples = 0;
  std::map<std::string, double> by_kind;
};

std::optional<Shares> shares_of(const std::vector<RoutingRow>& routing, int true_class) {
  Shares s;
  for (const auto& r : routing)
    if (true_class == kAll || r.true_class == true_class) {
      s.samples += static_cast<double>(r.count);
      s.by_kind[r.expert_kind] += static_cast<double>(r.count);
    }
  if (s.samples <= 0) return std::nullopt;
  for (auto& [kind, count] : s.by_kind) count /= s.samples;
  return s;
}

Table build(const Dataset& data, const std::string& encoder, const std::vector<const CellRow*>& cells,
            const Reference& ref, bool suffix_encoder) {
  std::map<std::pair<TaskKey, RowKey>, std::vector<const CellRow*>> groups;
  for (const auto* c : cells)
    groups[{{c->task, c->framing}, {c->variant, c->batch_size, c->encoder_mode, false, c->pooling}}].push_back(c);

  const std::vector<std::string> kKinds = kinds_of(data, cells);
  Table t;
  t.id = suffix_encoder ? "usage_" + slug(encoder) : "usage";
  t.title = "Expert usage per task and per true class" + (suffix_encoder ? ", encoder " + encoder : "");
  t.encoder = encoder;
  t.header = {"task", "model", "setting", "class", "samples"};
  t.numeric = {false, false, false, false, true};
  for (const auto& kind : kKinds) {
    const MetricSpec ms = metric_spec(kind + "_share");
    t.header.push_back(ms.label + " (" + ms.unit + ")");
    t.header.push_back("paper (Δ)");
    t.numeric.insert(t.numeric.end(), {true, true});
  }
  t.csv_header = {"table",        "encoder",    "task",  "framing", "model", "batch_size",
                  "encoder_mode", "true_class", "class", "samples", "n"};
  for (const auto& kind : kKinds)
    for (const auto& col : {"mean", "std", "paper"}) t.csv_header.push_back(kind + "_share_" + col);

  for (const auto& [key, group] : groups) {
    const auto& [task, row] = key;
    std::set<int> classes;
    for (const auto* c : group)
      for (const auto& r : data.routing.at(c->id)) classes.insert(r.true_class);
    std::vector<int> order = {kAll};
    if (!(classes.size() == 1 && *classes.begin() == -1)) order.insert(order.end(), classes.begin(), classes.end());
    for (int cls : order) {
      std::vector<double> samples;
      std::map<std::string, std::vector<double>> by_kind;
      for (const auto* c : group)
        if (auto s = shares_of(data.routing.at(c->id), cls)) {
          samples.push_back(s->samples);
          for (const auto& kind : kKinds) by_kind[kind].push_back(s->by_kind.count(kind) ? s->by_kind.at(kind) : 0.0);
        }
      if (samples.empty()) continue;
      const std::string cls_label = cls == kAll ? "all" : class_label(task.task, task.framing, cls);
      std::vector<std::string> line = {task_label(task.task, task.framing), variant_label(row.variant),
                                       setting_label(row), cls_label, fixed(summarize(samples).mean, 0)};
      std::vector<std::string> csv = {t.id,
                                      encoder,
                                      task.task,
                                      task.framing,
                                      row.variant,
                                      std::to_string(row.batch_size),
                                      row.mode,
                                      cls == kAll ? "" : std::to_string(cls),
                                      cls_label,
                                      fixed(summarize(samples).mean, 1),
                                      std::to_string(samples.size())};
      for (const auto& kind : kKinds) {
        const MetricSpec ms = metric_spec(kind + "_share");
        const SeedStats st = summarize(by_kind[kind]);
        const PaperFigure* paper =
            cls == kAll ? ref.find(task.task, row.variant, row.batch_size, row.mode, ms.key) : nullptr;
        line.push_back(stat_text(st, ms));
        std::string paper_text = kDash;
        if (paper)
          paper_text = fixed(paper->value * ms.paper_scale, ms.decimals) + " (" +
                       signed_fixed(st.mean * ms.scale - paper->value * ms.paper_scale, ms.decimals) + ")";
        line.push_back(paper_text);
        csv.push_back(csv_number(st.mean * ms.scale, ms.decimals));
        csv.push_back(st.std ? csv_number(*st.std * ms.scale, ms.decimals) : "");
        csv.push_back(paper ? csv_number(paper->value * ms.paper_scale, ms.decimals) : "");
      }
      t.rows.push_back(line);
      t.csv_rows.push_back(csv);
    }
  }
  t.notes.push_back(
      "Share of eval samples whose top-1 expert is of each kind, mean ± std over seeds (n = seeds); class rows "
      "count only the samples whose true label is that class. Homogeneous pairs (FFNN+FFNN, GRU+GRU) are left out.");
  t.notes.push_back("paper (Δ): the paper's figure for the whole eval split and ours minus it; " + std::string(kDash) +
                    " where the paper reports none (it gives no per-class figures).");
  return t;
}

}  // namespace

std::vector<Table> usage_tables(const Dataset& data, const Reference& ref) {
  std::vector<const CellRow*> cells;
  for (const auto* c : distinct_cells(data))
    if (heterogeneous(c->variant) && data.routing.count(c->id)) cells.push_back(c);
  std::vector<Table> out;
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    std::vector<const CellRow*> mine;
    for (const auto* c : cells)
      if (c->encoder_name == encoder) mine.push_back(c);
    out.push_back(build(data, encoder, mine, ref, encoders.size() > 1));
  }
  return out;
}

}  // namespace hecto::reports
