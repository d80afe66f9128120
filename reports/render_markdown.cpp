#include "reports/render.h"

namespace hecto::reports {

namespace {

std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string line(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) {
    out += ' ';
    out += cell(c);
    out += " |";
  }
  return out + "\n";
}

}  // namespace

std::string render_markdown(const Report& report) {
  std::string out = "# Hecto reproduction: tables\n\n";
  out +=
      "Rendered by `hecto report` from the results database only. The paper's figures come from "
      "reports/paper_reference.json (Pandey et al., arXiv 2506.22919).\n\n";
  for (const auto& m : report.messages) out += "> " + m + "\n\n";
  for (size_t i = 0; i < report.tables.size(); ++i) {
    const Table& t = report.tables[i];
    out += "## Table " + std::to_string(i + 1) + ". " + t.title + "\n\n";
    out += encoder_line(t.encoder) + "\n\n";
    if (!t.encoder.empty())
      if (const auto w = encoder_warning(t.encoder); !w.empty()) out += "> **" + w + "**\n\n";
    out += line(t.header);
    std::string rule = "|";
    for (bool numeric : t.numeric) rule += numeric ? "---:|" : ":---|";
    out += rule + "\n";
    for (const auto& row : t.rows) out += line(row);
    out += "\n";
    for (const auto& n : t.notes) out += "- " + n + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace hecto::reports
