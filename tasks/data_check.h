#pragma once
// `hecto data check`: load every task (and every hotpotqa framing) the way a run would and
// describe what was read, so a user can see the data is the data the paper used.
#include <string>
#include <utility>
#include <vector>

namespace hecto::tasks {

struct FileCheck {
  std::string path;  // relative to the data directory
  std::string sha256;
  std::string expected;  // from PROVENANCE.md; empty when the file is not listed
  bool matches() const { return expected.empty() || expected == sha256; }
};

struct SplitCheck {
  std::string name;
  size_t rows = 0;
  size_t groups = 0;  // distinct group ids (hotpotqa questions); 0 when ungrouped
  std::vector<FileCheck> files;
  std::vector<std::pair<std::string, size_t>> label_counts;  // classification
  bool regression = false;
  double score_mean = 0, score_min = 0, score_max = 0;
};

struct TaskCheck {
  std::string task;
  std::string framing;
  std::vector<SplitCheck> splits;
  std::string error;  // what went wrong loading it; empty when it loaded
};

struct DataCheckReport {
  std::string data_dir;
  std::vector<TaskCheck> tasks;
  std::vector<std::string> warnings;  // hash mismatches, overlapping hotpotqa questions
  bool loaded_all() const;
};

// data_dir as given to resolve_data_dir (empty: the default search).
DataCheckReport check_data(const std::string& data_dir);
std::string format_data_check(const DataCheckReport& report);

}  // namespace hecto::tasks
