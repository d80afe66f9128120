#include "reports/report_command.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/error.h"
#include "reports/render.h"
#include "reports/report.h"
#include "reports/written_files.h"
#include "results/store.h"

namespace hecto::reports {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kFormats = {"md", "latex", "csv", "html"};  // and "all" of them

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw common::RunError("cannot write " + path.string());
}

Reference reference_for(const ReportOptions& options) {
  if (!options.reference_path.empty()) return load_reference(options.reference_path);
  const std::string found = find_reference_path();
  if (found.empty()) return {};
  return load_reference(found);
}

}  // namespace

int run_report(const ReportOptions& options, std::ostream& out) {
  if (options.format != "all" && !kFormats.count(options.format))
    throw common::InputError({"--format"}, "unknown format '" + options.format + "'", "md, latex, csv, html or all");
  const Reference ref = reference_for(options);
  const auto store = results::Store::open(options.db_path, results::Store::Mode::ReadOnly);
  const Dataset data = load_dataset(store, options.experiments);
  const Report report = build_report(data, ref);
  for (const auto& m : report.messages) spdlog::warn("{}", m);
  if (report.tables.empty()) {
    spdlog::error("nothing to report from {}: {}", options.db_path,
                  data.experiments.empty()
                      ? "it holds no experiments; run `hecto run FILE.toml --db " + options.db_path + "` first"
                      : "no experiment has a finished cell yet");
    return 1;
  }

  const std::string profile = options.profile.empty() ? derive_profile(data) : options.profile;
  const fs::path dir = fs::path(options.out_dir) / profile;
  fs::create_directories(dir);
  const std::set<std::string> formats = options.format == "all" ? kFormats : std::set<std::string>{options.format};
  std::vector<std::string> written;
  WrittenFiles files_written(dir);
  auto write = [&](const std::string& relative, const std::string& text) {
    write_file(dir / relative, text);
    files_written.add(relative);
  };
  if (formats.count("md")) {
    write("tables.md", render_markdown(report));
    written.push_back("tables.md");
  }
  if (formats.count("latex")) {
    write("tables.tex", render_latex(report));
    written.push_back("tables.tex");
  }
  if (formats.count("csv")) {
    for (const auto& t : report.tables) write(t.id + ".csv", render_csv(t));
    written.push_back(std::to_string(report.tables.size()) + " CSV files");
  }
  if (formats.count("html")) {
    std::vector<RenderedPlot> plots;
    const Gnuplot gnuplot = detect_gnuplot();
    if (!gnuplot.available && !report.plots.empty())
      spdlog::warn("gnuplot not found: writing the plots' .dat and .gp files only (install gnuplot-nox to draw them)");
    int drawn = 0;
    for (const auto& p : report.plots) {
      PlotFiles files = write_plot(p, dir / "plots", gnuplot);
      if (!files.error.empty()) spdlog::warn("gnuplot failed on {}: {}", p.name, files.error);
      for (const auto& f : {p.name + ".dat", p.name + ".gp", files.png, files.svg})
        if (!f.empty()) files_written.add("plots/" + f);
      drawn += !files.png.empty() || !files.svg.empty();
      plots.push_back({p, files});
    }
    write("index.html", render_html(report, plots, dir / "plots", "plots/"));
    written.push_back("index.html");
    written.push_back(std::to_string(drawn) + " of " + std::to_string(report.plots.size()) + " plots drawn in plots/");
  }

  const auto removed = files_written.finish(formats);
  if (!removed.empty())
    spdlog::info("removed {} file(s) an earlier report wrote in {} and this one no longer has (e.g. {})",
                 removed.size(), dir.string(), removed.front());

  auto count = [](size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); };
  out << "hecto report: " << count(report.tables.size(), "table") << " from " << count(data.cells.size(), "done cell")
      << " (" << count(data.experiments.size(), "experiment") << ")";
  if (!ref.path.empty()) out << ", paper figures from " << ref.path;
  out << "\n";
  out << "Tables are in " << dir.string() << "/: ";
  for (size_t i = 0; i < written.size(); ++i) out << (i ? ", " : "") << written[i];
  out << "\n";
  return 0;
}

}  // namespace hecto::reports
