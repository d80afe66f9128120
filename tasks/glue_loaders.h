#pragma once
// Tab-separated GLUE-style files: SST-2 (sentence<TAB>label) and STS-B, both the original
// STS-benchmark release (7 or 9 fields, no header) and GLUE's 10-column layout with a header.
// No quote handling: sentences contain raw '"'.
#include <string>
#include <vector>

#include "tasks/task.h"

namespace hecto::tasks {

// Header `sentence<TAB>label`, then one row per sentence; label 0 (negative) or 1 (positive).
std::vector<Example> load_sst2_file(const std::string& path);

// text_a / text_b = the two sentences, score in [0, 5]. Layout told by the first line: GLUE's
// header starts with "index<TAB>genre"; otherwise the original release.
std::vector<Example> load_stsb_file(const std::string& path);

}  // namespace hecto::tasks
