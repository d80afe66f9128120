#include "reports/gnuplot.h"

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "common/shell.h"

namespace hecto::reports {

namespace fs = std::filesystem;
using common::shell_quote;

namespace {

// Runs a shell command, returning its exit status and what it printed (stdout and stderr).
int capture(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  return pclose(pipe);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw common::RunError("cannot write " + path.string());
}

}  // namespace

Gnuplot detect_gnuplot() {
  Gnuplot g;
  std::string output;
  if (capture("gnuplot --version", output) != 0) return g;
  g.available = true;
  output.clear();
  // An unknown terminal makes gnuplot print an error (and, with -e, exit non-zero).
  const int rc = capture("gnuplot -e \"set terminal pngcairo\"", output);
  g.png_terminal = rc == 0 && output.find("unknown") == std::string::npos ? "pngcairo" : "png";
  return g;
}

std::string gnuplot_script(const Plot& plot, const std::string& png_terminal) {
  return "# " + plot.title + "\n# Draws " + plot.name + ".png and " + plot.name + ".svg from " + plot.name +
         ".dat; run from this folder: gnuplot " + plot.name + ".gp\n" + "set terminal " + png_terminal +
         " size 900,560 noenhanced\nset output '" + plot.name + ".png'\n" + plot.body +
         "set terminal svg size 900,560 noenhanced dynamic\nset output '" + plot.name + ".svg'\nreplot\nunset output\n";
}

PlotFiles write_plot(const Plot& plot, const fs::path& dir, const Gnuplot& gnuplot) {
  fs::create_directories(dir);
  write_text(dir / (plot.name + ".dat"), plot.data);
  write_text(dir / (plot.name + ".gp"), gnuplot_script(plot, gnuplot.available ? gnuplot.png_terminal : "pngcairo"));
  PlotFiles files;
  if (!gnuplot.available) return files;
  std::string output;
  const int rc = capture("cd " + shell_quote(dir.string()) + " && gnuplot " + shell_quote(plot.name + ".gp"), output);
  if (rc != 0) files.error = output.empty() ? "gnuplot exited with status " + std::to_string(rc) : output;
  if (fs::exists(dir / (plot.name + ".png"))) files.png = plot.name + ".png";
  if (fs::exists(dir / (plot.name + ".svg"))) files.svg = plot.name + ".svg";
  return files;
}

}  // namespace hecto::reports
