#include "runner/plan_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "common/error.h"
#include "results/store.h"
#include "train/encoder_factory.h"

namespace hecto::runner {

using experiment::Cell;
using experiment::cell_ids;
using experiment::Config;
using experiment::load_plan;
using experiment::Plan;
using experiment::PlanOptions;
using train::encoder_label;
using train::estimated_shape;

namespace {

// Sizes we cannot know without loading the data (0 = "the whole file"): typical figures.
constexpr double kAssumedTrainSize = 5000, kAssumedEvalSize = 2000;

std::string human(double x) {
  if (x >= 1e6) return fmt::format("{:.1f}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.0f}k", x / 1e3);
  return fmt::format("{:.3g}", x);
}

std::string cell_label(const Cell& cell, const std::vector<std::string>& axes) {
  std::string s;
  for (const auto& a : axes) s += (s.empty() ? "" : " ") + a + "=" + cell.axes.at(a);
  return s.empty() ? cell.id : s;
}

}  // namespace

double estimated_cost(const Config& c) {
  if (c.model.kind != experiment::ModelKind::Hecto) return 0.0;  // a floor: seconds, whatever the size
  const double train = c.data.train_size > 0 ? static_cast<double>(c.data.train_size) : kAssumedTrainSize;
  const double split = c.data.validation_size > 0 ? static_cast<double>(c.data.validation_size) : kAssumedEvalSize;
  const double eval = c.data.eval_size > 0 ? std::min(static_cast<double>(c.data.eval_size), split) : split;
  double passes;
  if (c.encoder.mode == experiment::EncoderMode::Frozen)
    passes = c.train.feature_cache ? train + eval : (train + eval) * c.train.epochs;
  else
    passes = (3 * train + eval) * c.train.epochs;  // forward + backward on train, forward on eval, every epoch
  const auto shape = estimated_shape(c.encoder);
  const double size = static_cast<double>(shape.n_layers) * shape.dim * shape.dim / (6.0 * 768 * 768);
  return passes * size * c.data.max_len / 128.0;
}

std::vector<std::string> varying_axes(const Plan& plan) {
  std::vector<std::string> out;
  if (plan.cells.empty()) return out;
  // The core axes in reading order, then the others (dotted keys) alphabetically.
  std::vector<std::string> names{"task", "variant", "encoder", "batch_size", "seed"};
  for (const auto& [name, _] : plan.cells.front().axes)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  const auto& first = plan.cells.front().axes;
  for (const auto& name : names) {
    auto f = first.find(name);
    if (f == first.end()) continue;
    for (const auto& c : plan.cells) {
      auto it = c.axes.find(name);
      if (it == c.axes.end() || it->second != f->second) {
        out.push_back(name);
        break;
      }
    }
  }
  return out;
}

std::map<std::string, CellStatusText> read_cell_status(const Plan& plan, const std::string& db_path) {
  std::map<std::string, CellStatusText> out;
  for (const auto& c : plan.cells) out[c.id] = {};
  if (db_path.empty() || !std::filesystem::exists(db_path)) return out;
  const auto store = results::Store::open(db_path, results::Store::Mode::ReadOnly);
  for (const auto& s : store.cell_states(cell_ids(plan.cells))) out[s.id] = {results::to_string(s.status), s.error};
  return out;
}

int print_plan(const PlanViewOptions& o, std::ostream& out) {
  const Plan plan = load_plan(o.file, o.plan);
  const auto status = read_cell_status(plan, o.db_path);
  const bool have_db = std::filesystem::exists(o.db_path);
  const auto axes = varying_axes(plan);

  double total = 0;
  int done = 0;
  for (const auto& c : plan.cells) {
    total += estimated_cost(c.config);
    done += status.at(c.id).status == "done";
  }

  if (o.json) {
    nlohmann::json j;
    j["experiment"] = plan.experiment;
    j["source_file"] = plan.source_file;
    j["profile"] = o.plan.profile;
    j["done"] = done;
    j["estimated_cost"] = total;
    j["pretrain"] = plan.pretrain;
    j["cells"] = nlohmann::json::array();
    for (const auto& c : plan.cells)
      j["cells"].push_back({{"id", c.id},
                            {"axes", c.axes},
                            {"config", c.config.to_json()},
                            {"estimated_cost", estimated_cost(c.config)},
                            {"status", status.at(c.id).status}});
    out << j.dump(2) << "\n";
    return 0;
  }

  out << fmt::format("{} ({}){}: {} cells\n", plan.experiment, plan.source_file,
                     o.plan.profile.empty() ? "" : ", profile " + o.plan.profile, plan.cells.size());
  std::vector<size_t> widths;
  std::vector<std::string> header{"id"};
  header.insert(header.end(), axes.begin(), axes.end());
  header.push_back("cost");
  if (have_db) header.push_back("status");
  std::vector<std::vector<std::string>> rows{header};
  for (const auto& c : plan.cells) {
    std::vector<std::string> row{c.id};
    for (const auto& a : axes) row.push_back(c.axes.at(a));
    row.push_back(human(estimated_cost(c.config)));
    if (have_db) row.push_back(status.at(c.id).status);
    rows.push_back(std::move(row));
  }
  widths.assign(header.size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += fmt::format("{:<{}}", r[i], widths[i] + 2);
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
  out << fmt::format("total: {} cells, {} done, estimated cost {} (DistilBERT sample-passes at 128 tokens){}\n",
                     plan.cells.size(), done, human(total), have_db ? "" : " (no database at " + o.db_path + ")");
  return 0;
}

int print_status(const StatusOptions& o, std::ostream& out) {
  struct Row {
    std::string experiment;
    int total = 0, done = 0, failed = 0, running = 0, pending = 0;
  };
  std::vector<Row> rows;
  std::vector<std::string> failures;
  // `status paper/*.toml --only task=sst2`: a file without SST-2 cells counts none.
  PlanOptions plan_options = o.plan;
  plan_options.only_may_select_nothing = o.files.size() > 1;
  int selected = 0;
  for (const auto& file : o.files) {
    const Plan plan = load_plan(file, plan_options);
    selected += static_cast<int>(plan.cells.size());
    const auto status = read_cell_status(plan, o.db_path);
    const auto axes = varying_axes(plan);
    Row r{plan.experiment};
    for (const auto& c : plan.cells) {
      const auto& s = status.at(c.id);
      ++r.total;
      if (s.status == "done")
        ++r.done;
      else if (s.status == "failed") {
        ++r.failed;
        failures.push_back(fmt::format("  {} {} [{}]: {}", plan.experiment, c.id, cell_label(c, axes), s.error));
      } else if (s.status == "running")
        ++r.running;
      else
        ++r.pending;
    }
    rows.push_back(r);
  }
  if (selected == 0 && !o.plan.only.empty())
    throw common::InputError({"--only"}, "no cell of any of the " + std::to_string(o.files.size()) +
                                             " files satisfies every --only",
                             "filters that some cell satisfies (hecto plan FILE shows each cell's axes)");
  size_t w = std::string("experiment").size();
  for (const auto& r : rows) w = std::max(w, r.experiment.size());
  out << fmt::format("{:<{}}  {:>6} {:>6} {:>6} {:>7} {:>7}\n", "experiment", w, "cells", "done", "failed", "running",
                     "pending");
  for (const auto& r : rows)
    out << fmt::format("{:<{}}  {:>6} {:>6} {:>6} {:>7} {:>7}\n", r.experiment, w, r.total, r.done, r.failed, r.running,
                       r.pending);
  if (!std::filesystem::exists(o.db_path)) out << "(no database at " << o.db_path << ": every cell is pending)\n";
  if (!failures.empty()) {
    out << "failed cells:\n";
    for (const auto& f : failures) out << f << "\n";
  }
  return 0;
}

}  // namespace hecto::runner
