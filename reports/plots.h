#pragma once
// The report's plots as data (.dat text) plus the gnuplot commands that draw them, so tests can
// check the numbers without gnuplot and gnuplot.h only has to write and run them.
#include <string>
#include <vector>

#include "reports/dataset.h"

namespace hecto::reports {

struct Plot {
  std::string name;  // file stem: <name>.dat, <name>.gp, <name>.png, <name>.svg
  std::string title;
  std::string encoder;  // the encoder its cells used ("" when each series names its own)
  std::string data;     // the .dat file
  std::string body;     // gnuplot commands after the terminal set-up; read '<name>.dat'
};

// Expert-kind shares per true class, one plot per task (Hecto only), with std error bars.
std::vector<Plot> usage_plots(const Dataset& data);
// Accuracy against batch size per model and task, where a model ran at two or more sizes.
std::vector<Plot> batch_size_plots(const Dataset& data);
// Gate entropy over epochs, Hecto with its regularisers against no_reg.
std::vector<Plot> entropy_plots(const Dataset& data);
// Accuracy, gate entropy and top-expert share over lambda_ent x lambda_div, one heat map each per
// task and batch size, where a matrix swept both loss weights (experiments/open/lambda-grid.toml).
std::vector<Plot> lambda_grid_plots(const Dataset& data);
// Masked-LM loss against step, one line per pretraining run.
std::vector<Plot> pretrain_plots(const Dataset& data);

std::vector<Plot> all_plots(const Dataset& data);

}  // namespace hecto::reports
