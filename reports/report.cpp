#include "reports/report.h"

#include <algorithm>

#include "reports/tables.h"

namespace hecto::reports {

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
    for (auto& t : tables) r.tables.push_back(std::move(t));
  }
  for (auto& t : claims_tables(data)) r.tables.push_back(std::move(t));
  for (auto* make : {usage_tables, latency_tables})
    for (auto& t : make(data, ref)) r.tables.push_back(std::move(t));
  for (auto& t : pretrain_tables(data)) r.tables.push_back(std::move(t));
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
