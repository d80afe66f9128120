// Expanding an experiment into cells: defaults < profile < variant < matrix values < --set,
// for every combination of the matrix, then the checks only a whole config allows.
#include <algorithm>
#include <set>

#include "common/closest_match.h"
#include "experiment/experiment.h"
#include "experiment/matrix.h"
#include "experiment/settings.h"
#include "tasks/task.h"

namespace hecto::experiment {

using common::InputError;
using common::SourceLocation;
using nlohmann::json;

namespace {

// The axes every cell names in its `axes`, whether or not the matrix sweeps them.
const std::vector<std::string> kCoreAxes = {"task", "seed", "batch_size", "variant", "encoder"};

std::string short_axis_name(const std::string& key) {
  for (const auto& a : kCoreAxes)
    if (resolve_axis_key(a) == key) return a;
  return key;
}

SourceLocation origin_of(const ExpandedCell& cell, const std::string& key, const Experiment& exp) {
  auto it = cell.origin.find(key);
  return it != cell.origin.end() ? it->second : SourceLocation{exp.source_file};
}

// What only the whole config can tell. An empty framing becomes the task's default, so the
// same experiment written with or without it is the same cell.
void check_cell(ExpandedCell& cell, const Experiment& exp) {
  Config& c = cell.config;
  // A floor uses no encoder: one canonical encoder setting, so its id never depends on weights.
  if (c.model.kind != ModelKind::Hecto) {
    c.encoder = EncoderOptions{};
    c.encoder.source = EncoderSource::Random;
    c.encoder.name = "none (floor)";
  }
  const auto framings = tasks::task_framings(c.data.task);
  if (c.data.framing.empty()) {
    c.data.framing = tasks::default_framing(c.data.task);
  } else if (std::find(framings.begin(), framings.end(), c.data.framing) == framings.end()) {
    std::string list;
    for (const auto& f : framings) list += (list.empty() ? "" : ", ") + f;
    throw InputError(origin_of(cell, "data.framing", exp),
                     "task '" + c.data.task + "' has no framing '" + c.data.framing + "'",
                     framings.empty() ? "no data.framing (only hotpotqa has framings)" : "one of: " + list);
  }
  if (c.model.top_k > static_cast<int>(c.model.experts.size())) {
    const std::string key = cell.origin.count("model.top_k") ? "model.top_k" : "model.experts";
    throw InputError(origin_of(cell, key, exp),
                     "model.top_k = " + std::to_string(c.model.top_k) + " but the cell has only " +
                         std::to_string(c.model.experts.size()) + " expert(s)",
                     "top_k <= the number of entries in model.experts");
  }
  if (c.encoder.source == EncoderSource::Pretrained && c.encoder.path.empty())
    throw InputError(
        origin_of(cell, "encoder.source", exp), "encoder.source is \"pretrained\" but encoder.path is empty",
        "encoder.path = a directory with config.json and model.safetensors, or encoder.source = \"random\"");
  if (c.encoder.source == EncoderSource::Random && c.encoder.dim % c.encoder.n_heads != 0)
    throw InputError(origin_of(cell, "encoder.n_heads", exp),
                     "encoder.dim = " + std::to_string(c.encoder.dim) +
                         " is not divisible by encoder.n_heads = " + std::to_string(c.encoder.n_heads),
                     "n_heads dividing dim");
}

// A --set of an axis that matrix rows match on rewrites the axis after the rows were applied:
// every cell would get the new value with settings meant for other values (`--set task=agnews`
// giving AG News cells SST-2's floor.c and HotpotQA's training file), or combinations an exclude
// row removed would come back. Selecting is --only's job. A matrix of include rows alone has no
// axes: there each key the rows give different values plays the axis.
void check_overrides_leave_matched_axes(const Experiment& exp, const Settings& overrides) {
  if (!exp.matrix) return;
  const Matrix& m = *exp.matrix;
  for (const auto& o : overrides) {
    // "--set task=agnews", or the flag that stands for the setting ("--precision fp32")
    const auto space = o.where.file.find(' ');
    const std::string flag = o.where.file.substr(0, space);
    const std::string text = flag == "--set" ? o.where.file.substr(space + 1) : o.key + "=" + axis_text(o.value);
    if (m.axes.empty()) {
      std::set<std::string> values;
      const Setting* first = nullptr;
      for (const auto& row : m.include)
        for (const auto& s : row)
          if (resolve_axis_key(s.key) == o.key) {
            values.insert(s.value.dump());
            if (!first) first = &s;
          }
      if (values.size() > 1)
        throw InputError(o.where,
                         "the [[matrix.include]] rows (the first at " + first->where.str() + ") give " + o.key +
                             " different values, so " + flag + " would give every row this value with settings meant "
                             "for others",
                         "--only " + text + " to run only the rows that have it");
      continue;
    }
    const auto axis = std::find_if(m.axes.begin(), m.axes.end(), [&](const Axis& a) { return a.key == o.key; });
    if (axis == m.axes.end()) continue;
    const bool swept = std::any_of(axis->values.begin(), axis->values.end(),
                                   [&](const Setting& v) { return v.value == o.value; });
    std::string list;
    for (const auto& v : axis->values) list += (list.empty() ? "" : ", ") + axis_text(v.value);
    const std::string hint = swept ? "--only " + text + " to run only those cells of the matrix"
                                   : "--only with one of the values the matrix sweeps (" + list +
                                         "), or a file whose matrix has this one";
    for (const auto* rows : {&m.include, &m.exclude})
      for (const auto& row : *rows)
        for (const auto& s : row) {
          if (resolve_axis_key(s.key) != o.key) continue;
          const bool include = rows == &m.include;
          throw InputError(o.where,
                           "the matrix sweeps " + o.key + " and a " +
                               (include ? "[[matrix.include]] row at " + s.where.str() +
                                              " matches on it, so " + flag + " would give every cell this value with "
                                              "settings meant for others"
                                        : "[[matrix.exclude]] row at " + s.where.str() +
                                              " matches on it, so " + flag + " would bring back combinations it removed"),
                           hint);
        }
  }
}

}  // namespace

json config_value(const json& config_json, const std::string& key) {
  std::string p = "/" + key;
  std::replace(p.begin(), p.end(), '.', '/');
  return config_json.at(json::json_pointer(p));
}

std::string axis_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

namespace {

const Settings kNone;  // a layer that sets nothing

// The string the highest of the layers gives `key` (short or dotted), or `fallback`.
std::string last_named(std::initializer_list<const Settings*> layers, const std::string& key, std::string fallback) {
  for (const Settings* layer : layers)
    for (const auto& s : *layer)
      if (resolve_axis_key(s.key) == key) fallback = s.value.get<std::string>();
  return fallback;
}

// [profiles.P.tasks.T]; kNone when the profile gives the task nothing of its own.
const Settings* profile_task_settings(const Experiment& exp, const std::string& profile, const std::string& task) {
  const auto p = exp.profile_tasks.find(profile);
  if (p == exp.profile_tasks.end()) return &kNone;
  const auto t = p->second.find(task);
  return t == p->second.end() ? &kNone : &t->second;
}

}  // namespace

std::vector<ExpandedCell> expand_experiment(const Experiment& exp, const std::string& profile,
                                            const Settings& overrides) {
  const Settings* profile_settings = &kNone;
  if (!profile.empty()) {
    auto it = exp.profiles.find(profile);
    if (it == exp.profiles.end()) {
      std::vector<std::string> names;
      std::string list;
      for (const auto& [name, _] : exp.profiles) {
        names.push_back(name);
        list += (list.empty() ? "" : ", ") + name;
      }
      throw InputError({"--profile " + profile},
                       "unknown profile '" + profile + "' in " + exp.source_file +
                           (names.empty() ? "" : " (did you mean '" + common::closest_match(profile, names) + "'?)"),
                       names.empty() ? "no --profile: the file defines no [profiles]" : "one of: " + list);
    }
    profile_settings = &it->second;
  }
  for (const auto& s : overrides) check_variant_name(exp, s);
  check_overrides_leave_matched_axes(exp, overrides);

  const Matrix no_matrix;
  const Matrix& matrix = exp.matrix ? *exp.matrix : no_matrix;
  check_matrix_size(matrix, exp.source_file);
  const std::vector<Combination> combos = expand_matrix(matrix);
  if (combos.empty())
    throw InputError({exp.source_file}, "matrix.exclude removes every cell of the matrix", "at least one cell left");

  // Axes a cell names beyond the core five: every swept key and every key an include row adds.
  std::vector<std::string> extra_axes;
  auto note_axis = [&](const std::string& key) {
    const std::string name = short_axis_name(key);
    if (std::find(kCoreAxes.begin(), kCoreAxes.end(), name) == kCoreAxes.end() &&
        std::find(extra_axes.begin(), extra_axes.end(), name) == extra_axes.end())
      extra_axes.push_back(name);
  };
  for (const auto& a : matrix.axes) note_axis(a.key);
  for (const auto& row : matrix.include)
    for (const auto& s : row) note_axis(resolve_axis_key(s.key));

  std::vector<ExpandedCell> cells;
  for (const auto& combo : combos) {
    // The variant is chosen by the highest layer that names one; its table sits below the matrix.
    const std::string variant =
        last_named({&exp.defaults, profile_settings, &combo.settings, &overrides}, "variant", Config{}.variant);
    auto v = exp.variants.find(variant);

    const Settings* variant_settings = v == exp.variants.end() ? &kNone : &v->second;
    const std::string task =
        last_named({&exp.defaults, profile_settings, variant_settings, &combo.settings, &overrides}, "data.task",
                   Config{}.data.task);
    const Settings* task_settings = profile_task_settings(exp, profile, task);

    ExpandedCell cell;
    for (const Settings* layer :
         {&exp.defaults, profile_settings, task_settings, variant_settings, &combo.settings, &overrides})
      for (const auto& s : *layer) {
        apply(cell.config, s);
        cell.origin[s.key] = s.where;
      }
    cell.config.variant = variant;
    cell.config.experiment = exp.name;
    check_cell(cell, exp);

    const json j = cell.config.to_json();
    for (const auto& name : kCoreAxes) cell.axes[name] = axis_text(config_value(j, resolve_axis_key(name)));
    for (const auto& name : extra_axes) cell.axes[name] = axis_text(config_value(j, name));
    cells.push_back(std::move(cell));
  }
  return cells;
}

}  // namespace hecto::experiment
