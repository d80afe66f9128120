#pragma once
// `--only key=v1,v2`: running a subset of an experiment's cells. The matrix is expanded first,
// include and exclude rows and all, and the cells whose resolved config holds one of the values
// are kept, so a cell selected here is exactly the cell the whole matrix would run (same id).
// `--set` cannot do this: it rewrites a key in every cell after the matrix rows matched on it.
#include <string>
#include <vector>

#include "experiment/experiment.h"

namespace hecto::experiment {

struct CellFilter {
  std::string key;                    // dotted config key ("task" -> "data.task")
  std::vector<nlohmann::json> values;  // the cell's value must equal one of these
  common::SourceLocation where;       // "--only task=agnews,sst2"
};

// "key=v1,v2,...": each value read as --set reads it (TOML value, else bare text); commas inside
// brackets or quotes belong to the value (model.experts=["gru","gru"]). Throws InputError for a
// missing '=', an empty value, an unknown key or a value of the wrong type.
CellFilter parse_cell_filter(const std::string& text);

// The cells that satisfy every filter, in plan order. Throws InputError, naming the --only, when
// a value matches no cell of the plan (listing the values the key takes there) or when the
// filters together leave no cell, unless may_select_nothing (one file of several: its count is 0).
std::vector<ExpandedCell> select_cells(const std::vector<ExpandedCell>& cells, const std::vector<CellFilter>& filters,
                                       const std::string& file, bool may_select_nothing = false);

}  // namespace hecto::experiment
