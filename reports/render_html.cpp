#include "reports/reference.h"
#include "reports/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace hecto::reports {

namespace fs = std::filesystem;

namespace {

std::string esc(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The <svg> element of a gnuplot SVG file, without its XML prologue; "" when unreadable.
std::string inline_svg(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto start = text.find("<svg");
  return start == std::string::npos ? "" : text.substr(start);
}

// Tokens as spans whose background strength is the score's share of the input's largest score.
std::string highlighted(const Highlight& h) {
  double peak = 1e-12;
  for (double s : h.scores) peak = std::max(peak, std::fabs(s));
  std::string out = "<p class=\"attr\"><span class=\"cap\">" + esc(h.caption) + "</span><br>";
  for (size_t i = 0; i < h.tokens.size(); ++i) {
    const double s = i < h.scores.size() ? h.scores[i] / peak : 0.0;
    const std::string rgb = s >= 0 ? "0,150,60" : "200,30,30";
    char alpha[16];
    std::snprintf(alpha, sizeof alpha, "%.2f", std::min(1.0, std::fabs(s)));
    out += "<span style=\"background: rgba(" + rgb + "," + alpha + ")\" title=\"" + std::to_string(h.scores[i]) +
           "\">" + esc(h.tokens[i]) + "</span> ";
  }
  return out + "</p>\n";
}

const char* kStyle = R"css(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25em 0.6em; }
th { border-bottom: 2px solid #444; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
.warn { background: #fff0e0; border-left: 4px solid #d60; padding: 0.5em 1em; font-weight: bold; }
.msg { background: #eef3ff; border-left: 4px solid #36c; padding: 0.5em 1em; }
.notes { font-size: 0.85em; color: #555; }
.scroll { overflow-x: auto; }
figure { margin: 1em 0; }
.attr { font-family: ui-monospace, monospace; line-height: 1.9; }
.attr .cap { font-family: system-ui, sans-serif; font-size: 0.85em; color: #555; }
.attr span[style] { padding: 0.1em 0.15em; border-radius: 3px; }
figure svg, figure img { max-width: 100%; height: auto; }
)css";

}  // namespace

std::string render_html(const Report& report, const std::vector<RenderedPlot>& plots, const fs::path& plot_dir,
                        const std::string& plot_href) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>Hecto reproduction report</title>\n<style>" +
      std::string(kStyle) +
      "</style>\n</head>\n<body>\n<h1>Hecto reproduction report</h1>\n"
      "<p>Rendered by <code>hecto report</code> from the results database only. The paper's figures "
      "come from reports/paper_reference.json (Pandey et al., arXiv 2506.22919).</p>\n";
  for (const auto& m : report.messages) out += "<p class=\"msg\">" + esc(m) + "</p>\n";
  if (!report.tables.empty()) {
    out += "<h2>Tables</h2>\n<ol>\n";
    for (size_t i = 0; i < report.tables.size(); ++i)
      out += "<li><a href=\"#" + report.tables[i].id + "\">" + esc(report.tables[i].title) + "</a></li>\n";
    out += "</ol>\n";
  }
  for (size_t i = 0; i < report.tables.size(); ++i) {
    const Table& t = report.tables[i];
    out += "<h3 id=\"" + t.id + "\">Table " + std::to_string(i + 1) + ". " + esc(t.title) + "</h3>\n";
    out += "<p>" + esc(encoder_line(t.encoder)) + " &middot; <a href=\"" + t.id + ".csv\">CSV</a></p>\n";
    if (!t.encoder.empty())
      if (const auto w = encoder_warning(t.encoder); !w.empty()) out += "<p class=\"warn\">" + esc(w) + "</p>\n";
    out += "<div class=\"scroll\"><table>\n<tr>";
    for (const auto& h : t.header) out += "<th>" + esc(h) + "</th>";
    out += "</tr>\n";
    for (const auto& r : t.rows) {
      out += "<tr>";
      for (size_t c = 0; c < r.size(); ++c)
        out += std::string(c < t.numeric.size() && t.numeric[c] ? "<td class=\"num\">" : "<td>") + esc(r[c]) + "</td>";
      out += "</tr>\n";
    }
    out += "</table></div>\n<ul class=\"notes\">\n";
    for (const auto& n : t.notes) out += "<li>" + esc(n) + "</li>\n";
    out += "</ul>\n";
  }
  if (!report.highlights.empty()) {
    out += "<h2>Why the gate chose its expert</h2>\n<p class=\"notes\">Integrated gradients of the chosen expert's "
           "gate logit: green pushed the input towards that expert, red away; the stronger the colour, the larger "
           "the share.</p>\n";
    for (const auto& h : report.highlights) out += highlighted(h);
  }
  if (!plots.empty()) out += "<h2>Plots</h2>\n";
  for (const auto& p : plots) {
    out += "<figure>\n";
    const std::string svg = p.files.svg.empty() ? "" : inline_svg(plot_dir / p.files.svg);
    if (!svg.empty())
      out += svg + "\n";
    else if (!p.files.png.empty())
      out += "<img src=\"" + plot_href + p.files.png + "\" alt=\"" + esc(p.plot.title) + "\">\n";
    else
      out += "<p class=\"msg\">Not drawn (gnuplot unavailable or failed): see " + esc(plot_href + p.plot.name) +
             ".gp and .dat.</p>\n";
    std::string caption = p.plot.title;
    if (!p.plot.encoder.empty())
      caption +=
          " · encoder: " + p.plot.encoder + (p.plot.encoder == kPaperEncoder ? "" : " (NOT the paper's encoder)");
    out += "<figcaption>" + esc(caption) + " &middot; data: <a href=\"" + plot_href + p.plot.name + ".dat\">" +
           esc(p.plot.name) + ".dat</a></figcaption>\n</figure>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace hecto::reports
