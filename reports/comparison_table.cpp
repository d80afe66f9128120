// The experiments' comparison tables: main, batch size, frozen vs fine-tuned, ablations.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "reports/format.h"
#include "reports/keys.h"
#include "reports/tables.h"

namespace hecto::reports {

namespace {

using Group = std::vector<const CellRow*>;  // one configuration's seeds, in seed order
using Grid = std::map<RowKey, std::map<TaskKey, Group>>;

const char* kDelta = "accuracy_delta_vs_hecto";

std::vector<double> values_of(const Group& cells, const std::string& metric) {
  std::vector<double> out;
  for (const auto* c : cells) {
    auto it = c->metrics.find(metric);
    if (it != c->metrics.end()) out.push_back(it->second);
  }
  return out;
}

// The cell a table shows: our seeds' summary, the paper's figure, the seed-spread verdict.
struct Entry {
  std::optional<SeedStats> ours;
  const PaperFigure* paper = nullptr;
  Comparison vs_first;
  bool compared = false;
};

// Ablations report accuracy as a difference from Hecto at the same batch size and encoder mode.
std::optional<SeedStats> delta_vs_hecto(const Grid& grid, const RowKey& row, const TaskKey& task) {
  auto ours = grid.at(row).find(task);
  auto hecto_row = grid.find(RowKey{"hecto", row.batch_size, row.mode, false, row.pooling});
  if (ours == grid.at(row).end() || hecto_row == grid.end()) return std::nullopt;
  auto hecto = hecto_row->second.find(task);
  if (hecto == hecto_row->second.end()) return std::nullopt;
  const auto a = values_of(ours->second, "accuracy"), b = values_of(hecto->second, "accuracy");
  if (a.empty() || b.empty()) return std::nullopt;
  SeedStats s;
  s.mean = summarize(a).mean - summarize(b).mean;
  s.n = static_cast<int>(a.size());
  return s;
}

std::string row_label(const RowKey& key, bool show_batch, bool show_mode) {
  std::string label = variant_label(key.variant);
  if (key.floor) return label.rfind("floor", 0) == 0 ? label : "floor: " + label;  // no batch, no encoder
  if (show_batch) label += ", batch " + std::to_string(key.batch_size);
  if (show_mode) label += ", " + encoder_mode_label(key.mode);
  if (key.pooling != "cls") label += ", " + pooling_label(key.pooling);
  return label;
}

std::string incomplete_note(const Dataset& data, const std::string& experiment) {
  for (const auto& e : data.experiments) {
    if (e.name != experiment) continue;
    int total = 0, done = 0;
    std::string rest;
    for (const auto& [status, count] : e.cells_by_status) {
      total += count;
      if (status == "done")
        done = count;
      else
        rest += (rest.empty() ? "" : ", ") + std::to_string(count) + " " + status;
    }
    if (done < total)
      return "Incomplete: " + std::to_string(done) + " of " + std::to_string(total) + " planned cells done (" + rest +
             "); missing configurations show a dash.";
  }
  return "";
}

// ---- grouping: one configuration's seeds per (row, task) ----

struct Groups {
  Grid grid;
  std::set<int> batch_sizes;
  std::set<std::string> modes;
};

Groups group_cells(const std::vector<const CellRow*>& cells) {
  Groups g;
  for (const auto* c : cells) {
    const std::string pooling = c->is_floor() ? "cls" : c->pooling;  // a floor has no gate
    g.grid[{c->variant, c->batch_size, c->encoder_mode, c->is_floor(), pooling}][{c->task, c->framing}].push_back(c);
    if (c->is_floor()) continue;
    g.batch_sizes.insert(c->batch_size);
    g.modes.insert(c->encoder_mode);
  }
  for (auto& [row, tasks] : g.grid)
    for (auto& [task, group] : tasks)
      std::stable_sort(group.begin(), group.end(), [](auto* a, auto* b) { return a->seed < b->seed; });
  return g;
}

// Columns: each task's own metrics, then the experiment's extras; only those with a value.
std::vector<std::pair<TaskKey, std::string>> table_columns(const Grid& grid, const ExperimentTableSpec& spec) {
  std::set<TaskKey> tasks;
  for (const auto& [row, by_task] : grid)
    for (const auto& [task, group] : by_task) tasks.insert(task);
  std::vector<std::pair<TaskKey, std::string>> columns;
  for (const auto& task : tasks) {
    auto metrics = task_metrics(task.task);
    for (const auto& m : spec.extra_metrics)
      if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
    for (const auto& m : metrics) {
      bool any = false;
      for (const auto& [row, by_task] : grid) {
        auto g = by_task.find(task);
        if (g == by_task.end()) continue;
        any = any || (m == kDelta ? grid.size() > 1 && delta_vs_hecto(grid, row, task).has_value()
                                  : !values_of(g->second, m).empty());
      }
      if (any) columns.emplace_back(task, m);
    }
  }
  return columns;
}

// ---- statistics: our seeds, the paper's figure, the verdict against the first row ----

Entry entry_for(const Grid& grid, const RowKey& first, const RowKey& row, const TaskKey& task,
                const std::string& metric, const Reference& ref) {
  Entry e;
  // The paper's figures are of its model, which reads [CLS]: a row of another view has none.
  if (row.pooling == "cls") e.paper = ref.find(task.task, row.variant, row.batch_size, row.mode, metric);
  const auto& by_task = grid.at(row);
  auto g = by_task.find(task);
  if (metric == kDelta) {
    e.ours = delta_vs_hecto(grid, row, task);
    return e;
  }
  if (g == by_task.end()) return e;
  const auto values = values_of(g->second, metric);
  if (values.empty()) return e;
  e.ours = summarize(values);
  auto fg = grid.at(first).find(task);
  if (row == first || fg == grid.at(first).end()) return e;
  const auto ref_values = values_of(fg->second, metric);
  if (ref_values.empty()) return e;
  e.vs_first = compare_seeds(values, ref_values);
  e.compared = true;
  return e;
}

// ---- rendering ----

struct RenderedEntry {
  std::string ours = kDash, paper = kDash;
  std::optional<double> shown, paper_shown, diff;
  bool marked = false;
};

RenderedEntry render_entry(const Entry& e, const std::string& metric) {
  const MetricSpec ms = metric_spec(metric);
  RenderedEntry r;
  if (e.ours) {
    r.shown = e.ours->mean * ms.scale;
    r.ours = metric == kDelta ? signed_fixed(*r.shown, ms.decimals) + " (n=" + std::to_string(e.ours->n) + ")"
                              : stat_text(*e.ours, ms);
    const std::string marker = e.compared ? verdict_marker(e.vs_first.verdict) : "";
    if (!marker.empty()) r.ours += " " + marker;
    r.marked = !marker.empty();
  }
  if (e.paper) {
    r.paper_shown = e.paper->value * ms.paper_scale;
    r.paper = (e.paper->approximate ? "~" : "") + fixed(*r.paper_shown, ms.decimals);
    if (r.shown) {
      r.diff = *r.shown - *r.paper_shown;
      r.paper += " (" + signed_fixed(*r.diff, ms.decimals) + ")";
    }
  }
  return r;
}

std::vector<std::string> table_notes(const Dataset& data, const std::string& experiment, const Groups& g,
                                     const std::string& first_label, bool any_paper, bool any_approx,
                                     bool any_verdict) {
  std::vector<std::string> notes{"Ours: mean ± sample std over seeds (n = seeds) on each task's eval split."};
  const bool show_batch = g.batch_sizes.size() > 1, show_mode = g.modes.size() > 1;
  if (!g.batch_sizes.empty() && (!show_batch || !show_mode)) {
    std::string common = "All rows:";
    if (!show_batch) common += " batch size " + std::to_string(*g.batch_sizes.begin());
    if (!show_mode)
      common += std::string(show_batch ? "" : ",") + " " + encoder_mode_label(*g.modes.begin()) + " encoder";
    notes.push_back(common + ".");
  }
  notes.push_back("paper (Δ): the paper's figure (" + std::string(kPaperEncoder) +
                  ") and, in brackets, ours minus the paper's; " + kDash + " where the paper reports no figure" +
                  (any_paper ? "." : " (it reports none for this table)."));
  if (any_approx) notes.push_back("~: the paper states this figure only approximately.");
  if (any_verdict || g.grid.size() > 1)
    notes.push_back("Against the first row (" + first_label +
                    "): ▲ higher / ▼ lower by more than the seed spread (Welch's t-test over seeds, two-sided "
                    "p < 0.05); ≈ within the seed spread; no marker with fewer than 2 seeds on either side.");
  if (const auto note = incomplete_note(data, experiment); !note.empty()) notes.push_back(note);
  return notes;
}

Table table_frame(const ExperimentTableSpec& spec, const std::string& experiment, const std::string& encoder,
                  bool suffix_encoder, const std::vector<std::pair<TaskKey, std::string>>& columns) {
  Table t;
  t.id = suffix_encoder ? spec.id + "_" + slug(encoder) : spec.id;
  t.title = spec.title + " (experiment " + experiment + ")" + (suffix_encoder ? ", encoder " + encoder : "");
  t.encoder = encoder;
  t.header = {"model"};
  t.numeric = {false};
  for (const auto& [task, metric] : columns) {
    const MetricSpec ms = metric_spec(metric);
    t.header.push_back(task_label(task.task, task.framing) + " " + ms.label +
                       (ms.unit.empty() ? "" : " (" + ms.unit + ")"));
    t.header.push_back("paper (Δ)");
    t.numeric.insert(t.numeric.end(), {true, true});
  }
  t.csv_header = {"table", "experiment", "encoder",          "model",         "batch_size", "encoder_mode",
                  "task",  "framing",    "metric",           "unit",          "n",          "mean",
                  "std",   "paper",      "ours_minus_paper", "compared_with", "verdict",    "p_value"};
  return t;
}

Table build_table(const Dataset& data, const std::string& experiment, const std::string& encoder,
                  const std::vector<const CellRow*>& cells, const Reference& ref, bool suffix_encoder) {
  const ExperimentTableSpec spec = experiment_table_spec(experiment);
  const Groups g = group_cells(cells);
  const auto columns = table_columns(g.grid, spec);
  const bool show_batch = g.batch_sizes.size() > 1, show_mode = g.modes.size() > 1;
  const RowKey& first = g.grid.begin()->first;
  const std::string first_label = row_label(first, show_batch, show_mode);
  Table t = table_frame(spec, experiment, encoder, suffix_encoder, columns);
  bool any_approx = false, any_paper = false, any_verdict = false;
  for (const auto& [row, by_task] : g.grid) {
    std::vector<std::string> line = {row_label(row, show_batch, show_mode)};
    for (const auto& [task, metric] : columns) {
      const Entry e = entry_for(g.grid, first, row, task, metric, ref);
      const RenderedEntry r = render_entry(e, metric);
      any_paper = any_paper || e.paper;
      any_approx = any_approx || (e.paper && e.paper->approximate);
      any_verdict = any_verdict || r.marked;
      line.push_back(r.ours);
      line.push_back(r.paper);
      if (!e.ours && !e.paper) continue;
      const MetricSpec ms = metric_spec(metric);
      t.csv_rows.push_back(
          {t.id, experiment, encoder, row.variant, std::to_string(row.batch_size), row.mode, task.task, task.framing,
           metric, ms.unit, e.ours ? std::to_string(e.ours->n) : "", csv_number(r.shown, ms.decimals),
           e.ours && e.ours->std ? csv_number(*e.ours->std * ms.scale, ms.decimals) : "",
           csv_number(r.paper_shown, ms.decimals), csv_number(r.diff, ms.decimals), e.compared ? first_label : "",
           e.compared ? verdict_word(e.vs_first.verdict) : "", e.vs_first.p ? fixed(*e.vs_first.p, 4) : ""});
    }
    t.rows.push_back(line);
  }
  t.notes = table_notes(data, experiment, g, first_label, any_paper, any_approx, any_verdict);
  return t;
}

}  // namespace

ExperimentTableSpec experiment_table_spec(const std::string& experiment) {
  if (experiment == "paper-main") return {"main", "Main comparison: Hecto vs FFNN+FFNN vs GRU+GRU", {}};
  if (experiment == "paper-batch-size") return {"batch_size", "Batch size 16 vs 64", {}};
  if (experiment == "paper-encoder") return {"encoder", "Frozen vs fine-tuned encoder", {"gru_share"}};
  if (experiment == "paper-ablations")
    return {"ablations", "Routing ablations", {"gate_entropy_bits", "top_expert_share", kDelta}};
  return {slug(experiment), "Experiment " + experiment, {}};
}

int experiment_rank(const std::string& experiment) {
  static const std::vector<std::string> order = {"paper-main", "paper-batch-size", "paper-encoder", "paper-ablations"};
  auto it = std::find(order.begin(), order.end(), experiment);
  return static_cast<int>(it - order.begin());
}

std::vector<std::string> encoders_of(const std::vector<const CellRow*>& cells) {
  std::set<std::string> names;
  for (const auto* c : cells)
    if (!c->is_floor()) names.insert(c->encoder_name);
  std::vector<std::string> out(names.begin(), names.end());
  std::stable_partition(out.begin(), out.end(), [](const auto& n) { return n == kPaperEncoder; });
  return out;
}

std::string setup_of(const CellRow& c) {
  std::string s = c.encoder_name;
  if (c.device != "cpu" || c.precision != "fp32") s += ", on " + c.device + " in " + c.precision;
  return s;
}

std::vector<std::string> setups_of(const std::vector<const CellRow*>& cells) {
  std::set<std::string> names;
  for (const auto* c : cells)
    if (!c->is_floor()) names.insert(setup_of(*c));
  std::vector<std::string> out(names.begin(), names.end());
  std::stable_partition(out.begin(), out.end(), [](const auto& n) { return n == kPaperEncoder; });
  return out;
}

std::vector<const CellRow*> distinct_cells(const Dataset& data) {
  std::vector<const CellRow*> out;
  std::set<std::string> seen;
  for (const auto& c : data.cells)
    if (seen.insert(c.id).second) out.push_back(&c);
  return out;
}

std::vector<Table> comparison_tables(const Dataset& data, const std::string& experiment, const Reference& ref) {
  std::vector<const CellRow*> cells;
  for (const auto& c : data.cells)
    if (c.experiment == experiment) cells.push_back(&c);
  std::vector<Table> out;
  // The floors need no encoder: they are rows of every setup's table.
  std::vector<const CellRow*> floors;
  for (const auto* c : cells)
    if (c->is_floor()) floors.push_back(c);
  auto setups = setups_of(cells);
  if (setups.empty() && !floors.empty()) setups.push_back("none (floors only)");
  for (const auto& setup : setups) {
    std::vector<const CellRow*> mine = floors;
    for (const auto* c : cells)
      if (!c->is_floor() && setup_of(*c) == setup) mine.push_back(c);
    out.push_back(build_table(data, experiment, setup, mine, ref, setups.size() > 1));
  }
  return out;
}

}  // namespace hecto::reports
