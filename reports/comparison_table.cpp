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
  auto hecto_row = grid.find(RowKey{"hecto", row.batch_size, row.mode});
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
  if (show_batch) label += ", batch " + std::to_string(key.batch_size);
  if (show_mode) label += ", " + encoder_mode_label(key.mode);
  return label;
}

std::string incomplete_note(const Dataset& data, const std::string& experiment) {
  for (const auto& e : data.experiments) {
    if (e.name != experiment) continue;
    int total = 0, done = 0;
    std::string rest;
    for (const auto& [status, count] : e.cells_by_status) {
      total += count;
      if (status == "done") done = count;
      else rest += (rest.empty() ? "" : ", ") + std::to_string(count) + " " + status;
    }
    if (done < total)
      return "Incomplete: " + std::to_string(done) + " of " + std::to_string(total) + " planned cells done (" + rest +
             "); missing configurations show a dash.";
  }
  return "";
}

Table build_table(const Dataset& data, const std::string& experiment, const std::string& encoder,
                  const std::vector<const CellRow*>& cells, const Reference& ref, bool suffix_encoder) {
  const ExperimentTableSpec spec = experiment_table_spec(experiment);
  Grid grid;
  std::set<int> batch_sizes;
  std::set<std::string> modes;
  for (const auto* c : cells) {
    grid[{c->variant, c->batch_size, c->encoder_mode}][{c->task, c->framing}].push_back(c);
    batch_sizes.insert(c->batch_size);
    modes.insert(c->encoder_mode);
  }
  for (auto& [row, tasks] : grid)
    for (auto& [task, group] : tasks)
      std::stable_sort(group.begin(), group.end(), [](auto* a, auto* b) { return a->seed < b->seed; });

  // Columns: each task's own metrics, then the experiment's extras; only those with a value.
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

  const bool show_batch = batch_sizes.size() > 1, show_mode = modes.size() > 1;
  const RowKey& first = grid.begin()->first;
  const std::string first_label = row_label(first, show_batch, show_mode);

  Table t;
  t.id = suffix_encoder ? spec.id + "_" + slug(encoder) : spec.id;
  t.title = spec.title + " (experiment " + experiment + ")" + (suffix_encoder ? ", encoder " + encoder : "");
  t.encoder = encoder;
  t.header = {"model"};
  t.numeric = {false};
  for (const auto& [task, metric] : columns) {
    const MetricSpec ms = metric_spec(metric);
    t.header.push_back(task_label(task.task, task.framing) + " " + ms.label + (ms.unit.empty() ? "" : " (" + ms.unit + ")"));
    t.header.push_back("paper (Δ)");
    t.numeric.insert(t.numeric.end(), {true, true});
  }
  t.csv_header = {"table",  "experiment", "encoder", "model", "batch_size", "encoder_mode", "task", "framing",
                  "metric", "unit",       "n",       "mean",  "std",        "paper",        "ours_minus_paper",
                  "compared_with", "verdict", "p_value"};

  bool any_approx = false, any_paper = false, any_verdict = false;
  for (const auto& [row, by_task] : grid) {
    std::vector<std::string> line = {row_label(row, show_batch, show_mode)};
    for (const auto& [task, metric] : columns) {
      const MetricSpec ms = metric_spec(metric);
      Entry e;
      e.paper = ref.find(task.task, row.variant, row.batch_size, row.mode, metric);
      auto g = by_task.find(task);
      if (metric == kDelta) {
        e.ours = delta_vs_hecto(grid, row, task);
      } else if (g != by_task.end()) {
        const auto values = values_of(g->second, metric);
        if (!values.empty()) e.ours = summarize(values);
        auto fg = grid.at(first).find(task);
        if (!(row == first) && fg != grid.at(first).end() && !values.empty()) {
          const auto ref_values = values_of(fg->second, metric);
          if (!ref_values.empty()) {
            e.vs_first = compare_seeds(values, ref_values);
            e.compared = true;
          }
        }
      }
      std::string ours_text = kDash;
      std::optional<double> shown;
      if (e.ours) {
        shown = e.ours->mean * ms.scale;
        ours_text = metric == kDelta ? signed_fixed(*shown, ms.decimals) + " (n=" + std::to_string(e.ours->n) + ")"
                                     : stat_text(*e.ours, ms);
        const std::string marker = e.compared ? verdict_marker(e.vs_first.verdict) : "";
        if (!marker.empty()) ours_text += " " + marker;
        any_verdict = any_verdict || !marker.empty();
      }
      std::string paper_text = kDash;
      std::optional<double> paper_shown, diff;
      if (e.paper) {
        any_paper = true;
        any_approx = any_approx || e.paper->approximate;
        paper_shown = e.paper->value * ms.paper_scale;
        paper_text = e.paper->approximate ? "~" : "";
        paper_text += fixed(*paper_shown, ms.decimals);
        if (shown) {
          diff = *shown - *paper_shown;
          paper_text += " (" + signed_fixed(*diff, ms.decimals) + ")";
        }
      }
      line.push_back(ours_text);
      line.push_back(paper_text);
      if (!e.ours && !e.paper) continue;
      t.csv_rows.push_back(
          {t.id, experiment, encoder, row.variant, std::to_string(row.batch_size), row.mode, task.task, task.framing,
           metric, ms.unit, e.ours ? std::to_string(e.ours->n) : "", csv_number(shown, ms.decimals),
           e.ours && e.ours->std ? csv_number(*e.ours->std * ms.scale, ms.decimals) : "",
           csv_number(paper_shown, ms.decimals), csv_number(diff, ms.decimals), e.compared ? first_label : "",
           e.compared ? verdict_word(e.vs_first.verdict) : "", e.vs_first.p ? fixed(*e.vs_first.p, 4) : ""});
    }
    t.rows.push_back(line);
  }

  t.notes.push_back("Ours: mean ± sample std over seeds (n = seeds) on each task's eval split.");
  if (!show_batch || !show_mode) {
    std::string common = "All rows:";
    if (!show_batch) common += " batch size " + std::to_string(*batch_sizes.begin());
    if (!show_mode) common += std::string(show_batch ? "" : ",") + " " + encoder_mode_label(*modes.begin()) + " encoder";
    t.notes.push_back(common + ".");
  }
  t.notes.push_back(
      "paper (Δ): the paper's figure (" + std::string(kPaperEncoder) + ") and, in brackets, ours minus the paper's; " +
      kDash + " where the paper reports no figure" + (any_paper ? "." : " (it reports none for this table)."));
  if (any_approx) t.notes.push_back("~: the paper states this figure only approximately.");
  if (any_verdict || grid.size() > 1)
    t.notes.push_back("Against the first row (" + first_label +
                      "): ▲ higher / ▼ lower by more than the seed spread (Welch's t-test over seeds, two-sided "
                      "p < 0.05); ≈ within the seed spread; no marker with fewer than 2 seeds on either side.");
  if (const auto note = incomplete_note(data, experiment); !note.empty()) t.notes.push_back(note);
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
  for (const auto* c : cells) names.insert(c->encoder_name);
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
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    std::vector<const CellRow*> mine;
    for (const auto* c : cells)
      if (c->encoder_name == encoder) mine.push_back(c);
    out.push_back(build_table(data, experiment, encoder, mine, ref, encoders.size() > 1));
  }
  return out;
}

}  // namespace hecto::reports
