#include "reports/render.h"

#include <utility>

namespace hecto::reports {

namespace {

// Escapes LaTeX's special characters and spells the few non-ASCII symbols the tables use.
std::string tex(const std::string& text) {
  static const std::vector<std::pair<std::string, std::string>> symbols = {
      {"±", "$\\pm$"},
      {"Δ", "$\\Delta$"},
      {"–", "--"},
      {"▲", "$\\blacktriangle$"},
      {"▼", "$\\blacktriangledown$"},
      {"≈", "$\\approx$"},
      {"->", "$\\to$"},
      {"<", "$<$"},
      {">", "$>$"},
      {"|", "$|$"}};  // "->" before ">"; < > | are not text characters in OT1
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool matched = false;
    for (const auto& [from, to] : symbols)
      if (text.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    if (matched) continue;
    const char c = text[i++];
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
      case '{':
      case '}':
        out += '\\';
        out += c;
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '`':
        out += "\\textasciigrave{}";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? " & " : "") + tex(cells[i]);
  return out + " \\\\\n";
}

}  // namespace

std::string render_latex(const Report& report) {
  std::string out =
      "% Rendered by `hecto report` from the results database only.\n"
      "% Needs \\usepackage{booktabs,graphicx,amssymb}.\n\n";
  for (const auto& m : report.messages) out += "% NOTE: " + m + "\n";
  if (!report.messages.empty()) out += "\n";
  for (size_t i = 0; i < report.tables.size(); ++i) {
    const Table& t = report.tables[i];
    std::string spec;
    for (bool numeric : t.numeric) spec += numeric ? 'r' : 'l';
    // Wide tables shrink to the text width rather than run off the page.
    const bool wide = t.header.size() > 6;
    out += "\\begin{table}[htbp]\n\\centering\n";
    out += "\\caption{" + tex(t.title) + ". " + tex(encoder_line(t.encoder)) + ".}\n";
    out += "\\label{tab:" + t.id + "}\n";
    if (!t.encoder.empty())
      if (const auto w = encoder_warning(t.encoder); !w.empty()) out += "\\textbf{" + tex(w) + "}\\par\\smallskip\n";
    if (wide) out += "\\resizebox{\\textwidth}{!}{%\n";
    out += "\\begin{tabular}{" + spec + "}\n\\toprule\n" + row(t.header) + "\\midrule\n";
    for (const auto& r : t.rows) out += row(r);
    out += "\\bottomrule\n\\end{tabular}" + std::string(wide ? "}" : "") + "\n";
    if (!t.notes.empty()) {
      out += "\\par\\smallskip\n{\\footnotesize\n";
      for (const auto& n : t.notes) out += tex(n) + "\\par\n";
      out += "}\n";
    }
    out += "\\end{table}\n\n";
  }
  return out;
}

}  // namespace hecto::reports
