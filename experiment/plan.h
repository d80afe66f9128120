#pragma once
// A Plan: an experiment file expanded into Cells, each a resolved Config with a stable id.
// The id is what the results database keys on: the same config on the same data and weights
// gets the same id in every experiment file, on every machine, in every shard.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "experiment/config.h"

namespace hecto::experiment {

struct Cell {
  Config config;
  std::string id;  // 16 hex chars, see cell_id()
  std::map<std::string, std::string>
      axes;  // short axis names -> value text; task, seed, batch_size, variant, encoder always
};

struct Plan {
  std::string experiment, source_file, source_text;
  std::vector<Cell> cells;  // matrix order, last axis fastest; no two with one id
  nlohmann::json pretrain;  // the file's [pretrain] table, untouched (null when absent)
};

struct PlanOptions {
  std::vector<std::string> overrides;  // --set key=value, applied last
  std::string profile;                 // --profile NAME ("" = none)
  std::string data_dir;                // "" = the default data directory
  std::vector<std::string> only;       // --only key=v1,v2: keep the cells holding one of the values
  bool only_may_select_nothing = false;  // one file of several: no cell is a count of 0, not an error
  // Settings a command-line flag stands for ({"--precision fp32", "train.precision=\"fp32\""}),
  // applied after the --set ones; an error about one names the flag, not --set.
  std::vector<std::pair<std::string, std::string>> flag_overrides;
};

// Parses, validates and expands the file, then hashes every cell. Throws InputError (with
// file:line:column) before anything is run.
Plan load_plan(const std::string& path, const PlanOptions& options);

// The first 16 hex chars of sha256(config JSON without the experiment name, then each data
// file's sha256, then the encoder weights' sha256 when there are weights).
std::string cell_id(const Config& config, const std::vector<std::string>& data_sha256,
                    const std::string& weights_sha256);

// The files a cell's task reads (absolute paths): their contents are part of the cell id.
// The default asks the tasks module; tests install their own to hash a small fake data set.
using DataFilesHook = std::function<std::vector<std::string>(const Config& config, const std::string& data_dir)>;
void set_data_files_hook(DataFilesHook hook);  // an empty hook restores the default

// Sharding: a cell belongs to shard (leading 8 hex digits of its id) mod n_shards, so shards
// stay stable when cells are added to or removed from a plan.
struct Shard {
  int index = 0;
  int count = 1;
};
int shard_of(const std::string& cell_id, int n_shards);
// "i/N" with 0 <= i < N; throws InputError otherwise.
Shard parse_shard(const std::string& text);
std::vector<Cell> cells_for_shard(const Plan& plan, int index, int n_shards);

// The cells' ids, in their order: what the results database is asked about.
std::vector<std::string> cell_ids(const std::vector<Cell>& cells);

}  // namespace hecto::experiment
