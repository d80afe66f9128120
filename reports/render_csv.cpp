#include "reports/render.h"

namespace hecto::reports {

namespace {

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string record(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + field(fields[i]);
  return out + "\n";
}

}  // namespace

std::string render_csv(const Table& table) {
  std::string out = record(table.csv_header);
  for (const auto& row : table.csv_rows) out += record(row);
  return out;
}

}  // namespace hecto::reports
