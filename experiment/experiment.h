#pragma once
// Experiment files (TOML, format in docs/experiments.md): reading them with their includes,
// checking every key and value with its file:line:column, and expanding the matrix into
// resolved Configs. Hashing cells into ids is the Plan's job (runner/plan.h).
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "experiment/config.h"

namespace hecto::experiment {

// One value from an experiment file or --set, and where it was written.
struct Setting {
  std::string key;  // dotted config key (matrix rows: the axis name as written, short or dotted)
  nlohmann::json value;
  common::SourceLocation where;
};
using Settings = std::vector<Setting>;  // applied in order: a later setting of the same key wins

struct Axis {
  std::string name;  // as written: "task", "seed", "train.lr", ...
  std::string key;   // the config key it sets (resolve_axis_key)
  std::vector<Setting> values;
  common::SourceLocation where;
};

struct Matrix {
  std::vector<Axis> axes;         // in file order; the last varies fastest
  std::vector<Settings> exclude;  // drop every combination matching all of a row's values
  std::vector<Settings> include;  // extend matching combinations or add new ones (GitHub Actions rules)
};

struct Experiment {
  std::string name, description;
  std::string source_file;         // the file given, as given
  std::string source_text;         // its text, then each included file's text after a marker line
  std::vector<std::string> files;  // every file read, includes first
  Settings defaults;
  std::map<std::string, Settings> variants, profiles;
  // [profiles.P.tasks.T]: what profile P sets for task T alone, above the profile's own settings
  // (a profile sized for 2 cores may give one task more data than the others).
  std::map<std::string, std::map<std::string, Settings>> profile_tasks;
  std::optional<Matrix> matrix;  // absent: one cell
  nlohmann::json pretrain;       // the [pretrain] table, untouched; null when absent
};

// Reads the file and its includes and checks every key and value. Throws InputError.
Experiment parse_experiment(const std::string& path);

// "key=value" from --set: the value is read as a TOML value (3e-5, true, ["gru","gru"], "sst2")
// and falls back to the bare text; string keys always take the text as written.
Setting parse_override(const std::string& text);

// One expanded cell before hashing.
struct ExpandedCell {
  Config config;
  std::map<std::string, std::string> axes;  // short axis names; task, seed, batch_size, variant, encoder always
  std::map<std::string, common::SourceLocation> origin;  // where each key set on this cell came from
};

// Applies, in order, Config defaults < [defaults] < [profiles.P] < [profiles.P.tasks.T] <
// [variants.V] < matrix values < overrides, for every combination of the matrix; checks what needs the whole config
// (top_k against the number of experts, ...). Throws InputError.
std::vector<ExpandedCell> expand_experiment(const Experiment& experiment, const std::string& profile,
                                            const Settings& overrides);

// The value of a dotted key ("data.task") in Config::to_json().
nlohmann::json config_value(const nlohmann::json& config_json, const std::string& key);

// The text of a config value as axes and tables print it: strings bare, numbers and lists as JSON.
std::string axis_text(const nlohmann::json& value);

}  // namespace hecto::experiment
