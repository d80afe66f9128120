#include "reports/report.h"

#include <algorithm>

#include "reports/tables.h"

namespace hecto::reports {

namespace {

// The label of figures computed on the staged subsets (scripts/fetch-data.sh fell back to them):
// "" when none of the experiment's cells was.
std::string staged_data_note(const Dataset& data, const std::string& experiment) {
  int staged = 0, total = 0;
  for (const auto& c : data.cells)
    if (c.experiment == experiment) {
      ++total;
      staged += c.data_source == "staged";
    }
  if (staged == 0) return "";
  return "Staged data: " + std::to_string(staged) + " of " + std::to_string(total) +
         " cells were computed on the staged subsets (AG News: a fixed 5,000-article training sample; HotpotQA: "
         "training questions from its dev set, the 500 evaluation questions excluded), not on the official datasets. `make data` records each file's "
         "source in the data directory's SOURCE.json.";
}

}  // namespace

Report build_report(const Dataset& data, const Reference& ref) {
  Report r;
  if (ref.path.empty())
    r.messages.push_back(
        "The paper's reference figures were not found (reports/paper_reference.json): every paper "
        "column shows a dash. Pass --reference FILE.");
  std::vector<std::string> experiments;
  for (const auto& e : data.experiments) experiments.push_back(e.name);
  std::stable_sort(experiments.begin(), experiments.end(),
                   [](const auto& a, const auto& b) { return experiment_rank(a) < experiment_rank(b); });
  for (const auto& name : experiments) {
    auto tables = comparison_tables(data, name, ref);
    if (tables.empty()) {
      int planned = 0;
      for (const auto& e : data.experiments)
        if (e.name == name)
          for (const auto& [status, n] : e.cells_by_status) planned += n;
      r.messages.push_back("Experiment " + name + " has no finished cells yet (" + std::to_string(planned) +
                           " planned): no table. Run it with `hecto run`.");
    }
    const std::string staged = staged_data_note(data, name);
    if (!staged.empty()) r.messages.push_back("Experiment " + name + ": " + staged);
    for (auto& t : tables) {
      if (!staged.empty()) t.notes.push_back(staged);
      r.tables.push_back(std::move(t));
    }
  }
  for (auto& t : claims_tables(data)) r.tables.push_back(std::move(t));
  for (auto* make : {usage_tables, latency_tables})
    for (auto& t : make(data, ref)) r.tables.push_back(std::move(t));
  for (auto& t : pretrain_tables(data)) r.tables.push_back(std::move(t));
  for (auto& t : explanation_tables(data)) r.tables.push_back(std::move(t));
  r.highlights = highlights(data);
  r.plots = all_plots(data);
  return r;
}

std::string derive_profile(const Dataset& data) {
  if (data.cells.empty()) return "default";
  auto all = [&](auto pred) {
    return std::all_of(data.cells.begin(), data.cells.end(), [&](const CellRow& c) { return pred(c.encoder_name); });
  };
  if (all([](const std::string& n) { return n == kPaperEncoder; })) return "paper";
  if (all([](const std::string& n) { return n.find("(smoke)") != std::string::npos; })) return "smoke";
  if (all([](const std::string& n) { return n.find("offline") != std::string::npos; })) return "cpu";
  return "default";
}

}  // namespace hecto::reports
