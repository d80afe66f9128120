#pragma once
// Writes each plot's .dat and .gp and runs gnuplot on it for a PNG and an SVG. Without
// gnuplot the .dat and .gp files are still written, so the plots can be drawn elsewhere.
#include <filesystem>
#include <string>
#include <vector>

#include "reports/plots.h"

namespace hecto::reports {

struct Gnuplot {
  bool available = false;
  std::string png_terminal;  // "pngcairo" when gnuplot has it, else "png"
};

Gnuplot detect_gnuplot();

// The whole script: PNG then SVG of the same plot, paths relative to the plot's folder.
std::string gnuplot_script(const Plot& plot, const std::string& png_terminal);

struct PlotFiles {
  std::string png, svg;  // file names written in `dir`; "" when not produced
  std::string error;     // gnuplot's complaint, if it failed
};

PlotFiles write_plot(const Plot& plot, const std::filesystem::path& dir, const Gnuplot& gnuplot);

}  // namespace hecto::reports
