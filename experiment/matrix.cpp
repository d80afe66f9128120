#include "experiment/matrix.h"

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <set>

#include "experiment/settings.h"
#include "experiment/toml_values.h"

namespace hecto::experiment {

using common::InputError;
using common::SourceLocation;
using nlohmann::json;

namespace {

Settings read_matrix_row(const toml::node& n, const std::string& what, const std::string& file) {
  const auto& t = require_table(n, what, file, "a table of axis = value, e.g. { task = \"sst2\", seed = 0 }");
  Settings row = flatten_sorted(t, file);
  if (row.empty()) throw InputError(location(n.source(), file), what + " is empty", "at least one axis = value");
  Config scratch;
  for (auto& s : row) {
    const std::string key = resolve_axis_key(s.key);
    apply(scratch, {key, s.value, s.where});
  }
  return row;
}

void read_axes(const toml::table& t, const std::string& prefix, const std::string& file, Matrix& m) {
  for (const auto& [k, v] : t) {
    const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const SourceLocation where = location(k.source(), file);
    if (prefix.empty() && (name == "exclude" || name == "include")) {
      const auto* rows = v.as_array();
      if (!rows)
        throw InputError(where, "matrix." + name + " is " + type_of(v),
                         "an array of tables: [[matrix." + name + "]] rows");
      for (const auto& row : *rows)
        (name == "exclude" ? m.exclude : m.include).push_back(read_matrix_row(row, "a matrix." + name + " row", file));
      continue;
    }
    if (auto sub = v.as_table()) {
      read_axes(*sub, name, file, m);
      continue;
    }
    const auto* values = v.as_array();
    if (!values)
      throw InputError(where, "matrix axis '" + name + "' is " + type_of(v),
                       "a list of values, e.g. " + name + " = [...]");
    if (values->empty()) throw InputError(where, "matrix axis '" + name + "' is empty", "at least one value");
    Axis axis{name, resolve_axis_key(name), {}, where};
    if (axis.key == "experiment")
      throw InputError(where, "'experiment' cannot be a matrix axis", "the top-level `name = \"...\"`");
    for (const auto& a : m.axes)
      if (a.key == axis.key)
        throw InputError(where, "matrix axis '" + name + "' sets " + axis.key + ", as axis '" + a.name + "' does",
                         "each config key in one axis only");
    Config scratch;
    const auto keys = config_keys();
    if (std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return k.first == axis.key; }))
      apply(scratch, {axis.key, json(), where});  // reports the unknown key, with a suggestion, at the axis name
    for (const auto& e : *values) {
      Setting s{axis.key, to_json(e, file), location(e.source(), file)};
      apply(scratch, s);
      axis.values.push_back(std::move(s));
    }
    m.axes.push_back(std::move(axis));
  }
}

std::vector<Combination> combine(const Matrix& m) {
  std::vector<Combination> out;
  if (m.axes.empty()) {
    // No axes: the include rows are the cells (GitHub Actions); with no rows either, one cell.
    if (m.include.empty()) out.push_back({});
    return out;
  }
  std::vector<size_t> index(m.axes.size(), 0);
  while (true) {
    Combination c;
    for (size_t a = 0; a < m.axes.size(); ++a) {
      c.settings.push_back(m.axes[a].values[index[a]]);
      c.original[m.axes[a].key] = m.axes[a].values[index[a]].value;
    }
    out.push_back(std::move(c));
    size_t a = m.axes.size();
    while (a > 0 && ++index[a - 1] == m.axes[a - 1].values.size()) index[--a] = 0;
    if (a == 0) break;
  }
  return out;
}

bool matches(const Combination& c, const Settings& row, const std::set<std::string>& axis_keys) {
  for (const auto& s : row) {
    const std::string key = resolve_axis_key(s.key);
    if (!axis_keys.count(key)) continue;
    auto it = c.original.find(key);
    if (it == c.original.end() || it->second != s.value) return false;
  }
  return true;
}

}  // namespace

Matrix read_matrix(const toml::node& n, const std::string& file) {
  const auto& t = require_table(n, "[matrix]", file, "a table of axes, e.g. seed = [0, 1, 2]");
  Matrix m;
  read_axes(t, "", file, m);
  std::stable_sort(m.axes.begin(), m.axes.end(), [](const Axis& a, const Axis& b) { return before(a.where, b.where); });
  return m;
}

void check_matrix(const Experiment& exp) {
  if (!exp.matrix) return;
  for (const auto& axis : exp.matrix->axes)
    for (const auto& v : axis.values) check_variant_name(exp, v);
  for (const auto& row : exp.matrix->exclude)
    for (const auto& s : row) {
      const std::string key = resolve_axis_key(s.key);
      const bool is_axis =
          std::any_of(exp.matrix->axes.begin(), exp.matrix->axes.end(), [&](const Axis& a) { return a.key == key; });
      if (!is_axis)
        throw InputError(s.where, "matrix.exclude names '" + s.key + "', which is not a matrix axis",
                         "an axis of [matrix]");
    }
  for (const auto& row : exp.matrix->include)
    for (const auto& s : row) check_variant_name(exp, {resolve_axis_key(s.key), s.value, s.where});
}

uint64_t count_upper_bound(const Matrix& m) {
  constexpr uint64_t kAll = std::numeric_limits<uint64_t>::max();
  uint64_t product = m.axes.empty() ? (m.include.empty() ? 1 : 0) : 1;
  for (const auto& a : m.axes) {
    const uint64_t n = a.values.size();
    product = n != 0 && product > kAll / n ? kAll : product * n;
  }
  return product > kAll - m.include.size() ? kAll : product + m.include.size();
}

void check_matrix_size(const Matrix& m, const std::string& file) {
  const uint64_t n = count_upper_bound(m);
  if (n <= kMaxMatrixCells) return;
  std::string axes;
  for (const auto& a : m.axes)
    axes += (axes.empty() ? "" : " x ") + a.name + " (" + std::to_string(a.values.size()) + ")";
  const std::string count =
      n == std::numeric_limits<uint64_t>::max() ? "more than 18446744073709551615" : std::to_string(n);
  throw InputError({file}, "the matrix has " + count + " cells: " + axes,
                   "at most " + std::to_string(kMaxMatrixCells) + " cells; split the experiment or shorten an axis");
}

std::vector<Combination> expand_matrix(const Matrix& m) {
  std::set<std::string> axis_keys;
  for (const auto& a : m.axes) axis_keys.insert(a.key);
  std::vector<Combination> combos = combine(m);
  for (const auto& row : m.exclude)
    std::erase_if(combos, [&](const Combination& c) { return matches(c, row, axis_keys); });
  for (const auto& row : m.include) {
    Settings extras;
    for (const auto& s : row)
      if (!axis_keys.count(resolve_axis_key(s.key))) extras.push_back({resolve_axis_key(s.key), s.value, s.where});
    bool matched = false;
    for (auto& c : combos)
      if (!c.original.empty() && matches(c, row, axis_keys)) {
        matched = true;
        merge_settings(c.settings, extras);
      }
    if (matched) continue;
    Combination added;
    for (const auto& s : row) {
      const std::string key = resolve_axis_key(s.key);
      added.settings.push_back({key, s.value, s.where});
      if (axis_keys.count(key)) added.original[key] = s.value;
    }
    combos.push_back(std::move(added));
  }
  return combos;
}

}  // namespace hecto::experiment
