#pragma once
// Renderers: the same tables as Markdown (ready to paste), LaTeX (booktabs), CSV (tidy, one
// file per table) and one self-contained HTML page with the plots.
#include <filesystem>
#include <string>
#include <vector>

#include "reports/gnuplot.h"
#include "reports/report.h"

namespace hecto::reports {

std::string render_markdown(const Report& report);
// Needs \usepackage{booktabs,graphicx,amssymb} in the including document.
std::string render_latex(const Report& report);
// RFC 4180 quoting, LF line ends; missing numbers are empty fields.
std::string render_csv(const Table& table);

struct RenderedPlot {
  Plot plot;
  PlotFiles files;
};
// Inlines each plot's SVG (read from plot_dir) so the page stands alone; a PNG when there is no
// SVG; else a line naming the .gp and .dat files.
std::string render_html(const Report& report, const std::vector<RenderedPlot>& plots,
                        const std::filesystem::path& plot_dir, const std::string& plot_href);

}  // namespace hecto::reports
