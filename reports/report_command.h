#pragma once
// The work behind `hecto report`; the CLI only parses its options.
#include <ostream>
#include <string>
#include <vector>

#include "results/records.h"

namespace hecto::reports {

struct ReportOptions {
  std::string db_path = results::kDefaultDbPath;
  std::vector<std::string> experiments;  // empty: every experiment in the database
  std::string format = "all";            // md | latex | csv | html | all
  std::string out_dir = "reports/out";   // files go to <out_dir>/<profile>/
  std::string profile;                   // "" = derive_profile()
  std::string reference_path;            // "" = find_reference_path()
};

// Renders and writes; prints where the files are. Returns 0, or 1 when nothing at all could be
// rendered (no done cells, no benchmarks, no pretraining). Bad options throw InputError.
int run_report(const ReportOptions& options, std::ostream& out);

}  // namespace hecto::reports
