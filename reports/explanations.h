#pragma once
// The report's view of the stored gate attributions (train.explain_per_class).
#include <string>
#include <vector>

#include "reports/dataset.h"
#include "reports/table.h"

namespace hecto::reports {

// One input as tokens and scores, for highlighted text.
struct Highlight {
  std::string caption;
  std::vector<std::string> tokens;
  std::vector<double> scores;
};

// One table of every stored input (none when nothing was stored).
std::vector<Table> explanation_tables(const Dataset& data);
std::vector<Highlight> highlights(const Dataset& data);

}  // namespace hecto::reports
