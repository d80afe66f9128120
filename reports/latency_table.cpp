// Inference latency: ours per cell (batched eval pass / eval samples, on this machine's CPU)
// beside the paper's single figure, 0.0083 s/sample on a T4 GPU; and `hecto bench` rows.
#include <map>

#include "reports/format.h"
#include "reports/keys.h"
#include "reports/tables.h"

namespace hecto::reports {

namespace {

std::string machine_of(const CellRow& c) {
  std::string m = c.cpu_model.empty() ? "unrecorded CPU" : c.cpu_model;
  return c.threads > 0 ? m + ", " + std::to_string(c.threads) + (c.threads == 1 ? " thread" : " threads") : m;
}

std::string paper_device(const Reference& ref) {
  for (const auto& f : ref.figures)
    if (f.metric == "infer_s_per_sample" && !f.device.empty()) return f.device;
  return "";
}

Table cell_table(const std::string& encoder, const std::vector<const CellRow*>& cells, const Reference& ref,
                 bool suffix_encoder) {
  const MetricSpec ms = metric_spec("infer_s_per_sample");
  std::map<std::pair<TaskKey, RowKey>, std::vector<const CellRow*>> groups;
  for (const auto* c : cells)
    if (c->metrics.count(ms.key))
      groups[{{c->task, c->framing}, {c->variant, c->batch_size, c->encoder_mode, false, c->pooling}}].push_back(c);

  Table t;
  t.id = suffix_encoder ? "latency_" + slug(encoder) : "latency";
  t.title = "Inference latency" + (suffix_encoder ? ", encoder " + encoder : "");
  t.encoder = encoder;
  t.header = {"task", "model", "setting", "inference (" + ms.unit + ")", "paper (Δ)", "machine"};
  t.numeric = {false, false, false, true, true, false};
  t.csv_header = {"table",
                  "encoder",
                  "task",
                  "framing",
                  "model",
                  "batch_size",
                  "encoder_mode",
                  "n",
                  "ms_per_sample_mean",
                  "ms_per_sample_std",
                  "paper_ms_per_sample",
                  "paper_device",
                  "machine"};
  const std::string device = paper_device(ref);
  for (const auto& [key, group] : groups) {
    const auto& [task, row] = key;
    std::vector<double> values;
    for (const auto* c : group) values.push_back(c->metrics.at(ms.key));
    const SeedStats st = summarize(values);
    const PaperFigure* paper = ref.find(task.task, row.variant, row.batch_size, row.mode, ms.key);
    std::string paper_text = kDash;
    if (paper)
      paper_text = fixed(paper->value * ms.paper_scale, ms.decimals) + " (" +
                   signed_fixed(st.mean * ms.scale - paper->value * ms.paper_scale, ms.decimals) + ")";
    t.rows.push_back({task_label(task.task, task.framing), variant_label(row.variant), setting_label(row),
                      stat_text(st, ms), paper_text, machine_of(*group.front())});
    t.csv_rows.push_back({t.id, encoder, task.task, task.framing, row.variant, std::to_string(row.batch_size), row.mode,
                          std::to_string(st.n), csv_number(st.mean * ms.scale, ms.decimals),
                          st.std ? csv_number(*st.std * ms.scale, ms.decimals) : "",
                          paper ? csv_number(paper->value * ms.paper_scale, ms.decimals) : "", paper ? device : "",
                          machine_of(*group.front())});
  }
  t.notes.push_back(
      "Ours: time of the last batched eval pass divided by its samples, mean ± std over seeds, on the machine "
      "shown; frozen-encoder cells may read cached encoder features, so their time can be the head's alone.");
  t.notes.push_back("paper (Δ): the paper's " + fixed(0.0083 * 1000, 1) + " ms/sample" +
                    (device.empty() ? "" : " on an " + device) +
                    ", for Hecto on AG News; different hardware, so the difference is a scale, not a verdict. " +
                    kDash + " where the paper reports none.");
  return t;
}

Table bench_table(const std::vector<BenchRow>& bench, const Reference& ref) {
  Table t;
  t.id = "bench";
  t.title = "Benchmarks (hecto bench)";
  t.header = {"benchmark", "value", "unit", "parameters", "machine"};
  t.numeric = {false, true, false, false, false};
  t.csv_header = {"table", "name", "value", "unit", "params_json", "cpu_model", "threads"};
  for (const auto& b : bench) {
    const std::string machine =
        (b.cpu_model.empty() ? "unrecorded CPU" : b.cpu_model) +
        (b.threads > 0 ? ", " + std::to_string(b.threads) + (b.threads == 1 ? " thread" : " threads") : "");
    t.rows.push_back({b.name, csv_number(b.value, 2), b.unit, b.params_json, machine});
    t.csv_rows.push_back(
        {t.id, b.name, csv_number(b.value, 4), b.unit, b.params_json, b.cpu_model, std::to_string(b.threads)});
  }
  const std::string device = paper_device(ref);
  t.notes.push_back("The latest row per benchmark and parameters. The encoder of each benchmark is in its parameters.");
  t.notes.push_back("For scale: the paper reports 0.0083 s/sample for Hecto" +
                    (device.empty() ? "" : " on an " + device) + ".");
  return t;
}

}  // namespace

std::vector<Table> latency_tables(const Dataset& data, const Reference& ref) {
  std::vector<const CellRow*> cells;
  for (const auto* c : distinct_cells(data))
    if (c->metrics.count("infer_s_per_sample")) cells.push_back(c);
  std::vector<Table> out;
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    std::vector<const CellRow*> mine;
    for (const auto* c : cells)
      if (c->encoder_name == encoder) mine.push_back(c);
    out.push_back(cell_table(encoder, mine, ref, encoders.size() > 1));
  }
  if (!data.bench.empty()) out.push_back(bench_table(data.bench, ref));
  return out;
}

}  // namespace hecto::reports
