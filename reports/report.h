#pragma once
// A report: every table (and plot) the selected experiments support, built from the dataset
// alone, so rendering is deterministic and testable without a database file.
#include <string>
#include <vector>

#include "reports/dataset.h"
#include "reports/plots.h"
#include "reports/reference.h"
#include "reports/explanations.h"
#include "reports/table.h"

namespace hecto::reports {

struct Report {
  std::vector<std::string> messages;  // what the reader must know first: empty experiments, no reference
  std::vector<Table> tables;
  std::vector<Plot> plots;
  std::vector<Highlight> highlights;  // stored gate attributions, as highlighted text (HTML)
};

// Tables in order: each experiment's comparison (paper's experiments first), expert usage,
// latency, pretraining. An experiment without done cells gets a message instead of a table.
Report build_report(const Dataset& data, const Reference& ref);

// The output folder's name when --profile is not given: "paper" when every done cell used the
// paper's encoder, "smoke" / "cpu" when every one used the smoke / offline-pretrained encoder,
// else "default".
std::string derive_profile(const Dataset& data);

}  // namespace hecto::reports
