#include "experiment/select.h"

#include <algorithm>
#include <set>

#include "common/closest_match.h"
#include "experiment/settings.h"

namespace hecto::experiment {

using common::InputError;
using nlohmann::json;

namespace {

// Splits on commas outside [...], {...} and quotes: "a,[1,2],\"x,y\"" -> a | [1,2] | "x,y".
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  char quote = 0;
  for (char ch : text) {
    if (quote) {
      if (ch == quote) quote = 0;
    } else if (ch == '"' || ch == '\'') {
      quote = ch;
    } else if (ch == '[' || ch == '{') {
      ++depth;
    } else if (ch == ']' || ch == '}') {
      --depth;
    } else if (ch == ',' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += ch;
  }
  return out;
}

std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

bool holds(const json& config, const CellFilter& f) {
  const json value = config_value(config, f.key);
  return std::find(f.values.begin(), f.values.end(), value) != f.values.end();
}

// Every --only value must select some cell: a misspelt value is an error, not an empty run.
void check_each_value_matches(const std::vector<json>& configs, const CellFilter& f, const std::string& file) {
  std::set<std::string> taken;
  for (const auto& config : configs) taken.insert(axis_text(config_value(config, f.key)));
  const std::vector<std::string> names(taken.begin(), taken.end());
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  for (const auto& v : f.values) {
    if (taken.count(axis_text(v))) continue;
    std::string guess = common::closest_match(axis_text(v), names);
    // A value that is merely absent from this plan (a task of another file) gets no guess.
    if (common::edit_distance(guess, axis_text(v)) > std::max<int>(2, static_cast<int>(guess.size()) / 3))
      guess.clear();
    throw InputError(f.where,
                     "no cell of " + file + " has " + f.key + " = " + axis_text(v) +
                         (guess.empty() ? "" : " (did you mean '" + guess + "'?)"),
                     "one of the values " + f.key + " takes in this plan: " + list);
  }
}

}  // namespace

CellFilter parse_cell_filter(const std::string& text) {
  const common::SourceLocation where{"--only " + text};
  const auto eq = text.find('=');
  const std::string key = eq == std::string::npos ? "" : trimmed(text.substr(0, eq));
  if (key.empty())
    throw InputError(where, "malformed cell filter", "key=value[,value...], e.g. task=agnews or variant=hecto,top2");
  CellFilter f{resolve_axis_key(key), {}, where};
  for (const auto& piece : split_values(text.substr(eq + 1))) {
    const std::string raw = trimmed(piece);
    if (raw.empty()) throw InputError(where, "empty value in cell filter", "key=value[,value...] with no empty value");
    try {
      // Through a Config and back, so the value takes its key's form (3 for a float key is 3.0).
      Config scratch;
      apply(scratch, parse_override(key + "=" + raw));
      f.values.push_back(config_value(scratch.to_json(), f.key));
    } catch (const InputError& e) {  // parse_override names --set; the user typed --only
      throw InputError(where, e.problem(), e.expected());
    }
  }
  return f;
}

std::vector<ExpandedCell> select_cells(const std::vector<ExpandedCell>& cells, const std::vector<CellFilter>& filters,
                                       const std::string& file, bool may_select_nothing) {
  if (filters.empty()) return cells;
  std::vector<json> configs;  // each cell's config as JSON once, for every filter and check
  for (const auto& c : cells) configs.push_back(c.config.to_json());
  if (!may_select_nothing)
    for (const auto& f : filters) check_each_value_matches(configs, f, file);
  std::vector<ExpandedCell> kept;
  for (size_t i = 0; i < cells.size(); ++i)
    if (std::all_of(filters.begin(), filters.end(), [&](const CellFilter& f) { return holds(configs[i], f); }))
      kept.push_back(cells[i]);
  if (kept.empty() && !may_select_nothing) {
    std::string all;
    for (const auto& f : filters) all += (all.empty() ? "" : " ") + f.where.file;
    throw InputError({all}, "no cell of " + file + " satisfies every --only at once",
                     "filters that some cell satisfies together (hecto plan FILE shows each cell's axes)");
  }
  return kept;
}

}  // namespace hecto::experiment
