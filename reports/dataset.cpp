#include "reports/dataset.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"

namespace hecto::reports {

namespace {

std::optional<double> to_double(const std::string& text) {
  if (text.empty()) return std::nullopt;  // NULL
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

int64_t to_int(const std::string& text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

std::string in_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + results::sqlite::quote_literal(n);
  return out;
}

std::vector<ExperimentState> load_experiments(const results::Store& store, const std::vector<std::string>& wanted) {
  std::vector<ExperimentState> out;
  for (const auto& row : store.query("SELECT name FROM experiments ORDER BY name").rows) out.push_back({row[0], {}});
  if (!wanted.empty()) {
    std::vector<ExperimentState> picked;
    for (const auto& name : wanted) {
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.name == name; });
      if (it == out.end()) {
        std::string known;
        for (const auto& e : out) known += (known.empty() ? "" : ", ") + e.name;
        throw common::InputError({store.path()}, "no experiment named '" + name + "' in the results database",
                                 known.empty() ? "a database with registered experiments" : "one of: " + known);
      }
      picked.push_back(*it);
    }
    out = picked;
  }
  const auto counts = store.query(
      "SELECT ce.experiment, c.status, count(*) FROM cell_experiments ce JOIN cells c ON c.id = ce.cell_id "
      "GROUP BY ce.experiment, c.status");
  for (const auto& row : counts.rows)
    for (auto& e : out)
      if (e.name == row[0]) e.cells_by_status[row[1]] = static_cast<int>(to_int(row[2]));
  return out;
}

std::vector<CellRow> load_cells(const results::Store& store, const std::vector<ExperimentState>& experiments) {
  std::vector<std::string> names;
  for (const auto& e : experiments) names.push_back(e.name);
  if (names.empty()) return {};
  std::string sql =
      "SELECT v.id, v.experiment, v.task, coalesce(v.framing, ''), v.variant, v.seed, v.batch_size, v.encoder_mode, "
      "coalesce(nullif(v.encoder_name, ''), p.encoder_name, ''), coalesce(p.cpu_model, ''), coalesce(p.threads, 0), "
      "coalesce(v.model_kind, 'hecto'), v.device, v.precision, coalesce(v.data_source, ''), v.pooling";
  const auto& metrics = results::summary_metric_columns();
  for (const auto& m : metrics) sql += ", v." + m;
  sql += " FROM v_results v LEFT JOIN provenance p ON p.cell_id = v.id WHERE v.experiment IN (" + in_list(names) +
         ") ORDER BY v.experiment, v.task, v.variant, v.batch_size, v.encoder_mode, v.seed, v.id";
  std::vector<CellRow> out;
  for (const auto& row : store.query(sql).rows) {
    CellRow c;
    c.id = row[0];
    c.experiment = row[1];
    c.task = row[2];
    c.framing = row[3];
    c.variant = row[4];
    c.seed = static_cast<int>(to_int(row[5]));
    c.batch_size = static_cast<int>(to_int(row[6]));
    c.encoder_mode = row[7];
    c.encoder_name = row[8];
    c.cpu_model = row[9];
    c.threads = static_cast<int>(to_int(row[10]));
    c.model_kind = row[11];
    c.device = row[12];
    c.precision = row[13];
    c.data_source = row[14];
    c.pooling = row[15];
    for (size_t i = 0; i < metrics.size(); ++i)
      if (auto v = to_double(row[16 + i])) c.metrics[metrics[i]] = *v;
    out.push_back(std::move(c));
  }
  return out;
}

std::map<std::string, std::vector<RoutingRow>> load_routing(const results::Store& store,
                                                            const std::set<std::string>& ids) {
  std::map<std::string, std::vector<RoutingRow>> out;
  const auto result = store.query(
      "SELECT r.cell_id, r.true_class, r.expert, r.expert_kind, r.count FROM routing r "
      "JOIN (SELECT DISTINCT id, eval_split FROM v_results) v ON v.id = r.cell_id AND v.eval_split = r.split "
      "ORDER BY r.cell_id, r.true_class, r.expert");
  for (const auto& row : result.rows)
    if (ids.count(row[0]))
      out[row[0]].push_back(
          {static_cast<int>(to_int(row[1])), static_cast<int>(to_int(row[2])), row[3], to_int(row[4])});
  return out;
}

std::map<std::string, std::vector<EpochRow>> load_epochs(const results::Store& store,
                                                         const std::set<std::string>& ids) {
  std::map<std::string, std::vector<EpochRow>> out;
  const auto result = store.query(
      "SELECT cell_id, epoch, gate_entropy_bits, train_loss FROM epochs "
      "WHERE cell_id IN (SELECT id FROM cells WHERE status = 'done') ORDER BY cell_id, epoch");
  for (const auto& row : result.rows)
    if (ids.count(row[0]))
      out[row[0]].push_back({static_cast<int>(to_int(row[1])), to_double(row[2]), to_double(row[3])});
  return out;
}

bool has_table(const results::Store& store, const std::string& name) {
  return !store
              .query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = " +
                     results::sqlite::quote_literal(name))
              .rows.empty();
}

std::vector<BenchRow> load_bench(const results::Store& store) {
  std::vector<BenchRow> out;
  const auto result = store.query(
      "SELECT name, value, coalesce(unit, ''), coalesce(params_json, ''), coalesce(cpu_model, ''), "
      "coalesce(threads, 0) FROM bench WHERE id IN (SELECT max(id) FROM bench GROUP BY name, params_json) "
      "ORDER BY name, params_json");
  for (const auto& row : result.rows)
    out.push_back({row[0], row[2], row[3], row[4], to_double(row[1]).value_or(0), static_cast<int>(to_int(row[5]))});
  return out;
}

std::vector<PretrainRun> load_pretrain(const results::Store& store) {
  std::vector<PretrainRun> out;
  // Databases made before pretraining was recorded have no such tables.
  if (!has_table(store, "pretrain_runs")) return out;
  const auto runs = store.query(
      "SELECT weights_sha256, coalesce(encoder_name, ''), output, coalesce(steps, 0), coalesce(minutes, 0), "
      "initial_loss, final_loss, coalesce(corpus_tokens, 0), coalesce(tokens_per_second, 0) FROM pretrain_runs "
      "ORDER BY encoder_name, weights_sha256");
  for (const auto& row : runs.rows) {
    PretrainRun r;
    r.weights_sha256 = row[0];
    r.encoder_name = row[1];
    r.output = row[2];
    r.steps = to_int(row[3]);
    r.minutes = to_double(row[4]).value_or(0);
    r.initial_loss = to_double(row[5]).value_or(0);
    r.final_loss = to_double(row[6]).value_or(0);
    r.corpus_tokens = to_int(row[7]);
    r.tokens_per_second = to_double(row[8]).value_or(0);
    out.push_back(std::move(r));
  }
  if (has_table(store, "pretrain_loss")) {
    const auto loss = store.query("SELECT weights_sha256, step, loss FROM pretrain_loss ORDER BY weights_sha256, step");
    for (const auto& row : loss.rows)
      for (auto& r : out)
        if (r.weights_sha256 == row[0])
          if (auto v = to_double(row[2])) r.loss.emplace_back(to_int(row[1]), *v);
  }
  return out;
}

}  // namespace

std::optional<double> top_expert_share(const std::vector<RoutingRow>& routing) {
  std::map<int, int64_t> per_expert;
  int64_t total = 0;
  for (const auto& r : routing) {
    per_expert[r.expert] += r.count;
    total += r.count;
  }
  if (total == 0) return std::nullopt;
  int64_t top = 0;
  for (const auto& [expert, count] : per_expert) top = std::max(top, count);
  return static_cast<double>(top) / static_cast<double>(total);
}

std::vector<AttributionRow> load_attributions(const results::Store& store, const std::set<std::string>& ids) {
  std::vector<AttributionRow> out;
  if (!has_table(store, "attributions")) return out;  // databases before schema v4
  const auto result = store.query(
      "SELECT cell_id, example, true_class, expert_kind, coalesce(text, ''), tokens_json, scores_json, "
      "coalesce(completeness_error, 0) FROM attributions ORDER BY cell_id, true_class, example");
  for (const auto& row : result.rows) {
    if (!ids.count(row[0])) continue;
    AttributionRow a;
    a.cell_id = row[0];
    a.example = static_cast<int>(to_int(row[1]));
    a.true_class = static_cast<int>(to_int(row[2]));
    a.expert_kind = row[3];
    a.text = row[4];
    a.tokens = nlohmann::json::parse(row[5]).get<std::vector<std::string>>();
    for (const auto& s : nlohmann::json::parse(row[6])) a.scores.push_back(s.is_number() ? s.get<double>() : 0.0);
    a.completeness_error = to_double(row[7]).value_or(0);
    out.push_back(std::move(a));
  }
  return out;
}

void load_axes(const results::Store& store, std::vector<CellRow>& cells) {
  std::map<std::string, std::map<std::string, std::string>> by_cell;
  for (const auto& row : store.query("SELECT cell_id, key, coalesce(value, '') FROM cell_axes").rows)
    by_cell[row[0]][row[1]] = row[2];
  for (auto& c : cells)
    if (auto it = by_cell.find(c.id); it != by_cell.end()) c.axes = it->second;
}

Dataset load_dataset(const results::Store& store, const std::vector<std::string>& experiments) {
  Dataset d;
  d.experiments = load_experiments(store, experiments);
  d.cells = load_cells(store, d.experiments);
  load_axes(store, d.cells);
  std::set<std::string> ids;
  for (const auto& c : d.cells) ids.insert(c.id);
  d.routing = load_routing(store, ids);
  d.epochs = load_epochs(store, ids);
  for (auto& c : d.cells) {
    auto it = d.routing.find(c.id);
    if (it != d.routing.end())
      if (auto share = top_expert_share(it->second)) c.metrics["top_expert_share"] = *share;
  }
  d.bench = load_bench(store);
  d.pretrain = load_pretrain(store);
  d.attributions = load_attributions(store, ids);
  return d;
}

}  // namespace hecto::reports
