#pragma once
// A rendered-to-text table, ready for any output format, plus its tidy CSV form: the text
// cells say "87.10 ± 0.52 (n=3)", the CSV keeps mean, std and n apart for programs.
#include <string>
#include <vector>

namespace hecto::reports {

struct Table {
  std::string id;  // file stem of its CSV ("main", "usage")
  std::string title;
  std::string encoder;  // the encoder its cells came from; "" when rows name their own
  std::vector<std::string> notes;
  std::vector<std::string> header;
  std::vector<bool> numeric;  // per column: right-aligned
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> csv_header;
  std::vector<std::vector<std::string>> csv_rows;
};

// The loud line every table with a non-paper encoder carries; "" for the paper's encoder.
std::string encoder_warning(const std::string& encoder);
// "Encoder: <name>" (or a line saying each row names its own).
std::string encoder_line(const std::string& encoder);

}  // namespace hecto::reports
