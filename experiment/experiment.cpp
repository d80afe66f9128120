#include "experiment/experiment.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/closest_match.h"
#include "tasks/task.h"

namespace hecto::experiment {

namespace fs = std::filesystem;
using common::InputError;
using common::SourceLocation;
using nlohmann::json;

namespace {

const std::vector<std::string> kTopLevelKeys = {"name",     "description", "include", "defaults",
                                                "variants", "profiles",    "matrix",  "pretrain"};
// The axes every cell names in its `axes`, whether or not the matrix sweeps them.
const std::vector<std::string> kCoreAxes = {"task", "seed", "batch_size", "variant", "encoder"};

SourceLocation location(const toml::source_region& r, const std::string& file) {
  return {r.path ? *r.path : file, static_cast<long>(r.begin.line), static_cast<long>(r.begin.column)};
}

bool before(const SourceLocation& a, const SourceLocation& b) {
  return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

json to_json(const toml::node& n, const std::string& file) {
  if (auto v = n.as_string()) return v->get();
  if (auto v = n.as_integer()) return v->get();
  if (auto v = n.as_boolean()) return v->get();
  if (auto v = n.as_floating_point()) {
    if (!std::isfinite(v->get()))
      throw InputError(location(n.source(), file), "inf and nan are not accepted", "a finite number");
    return v->get();
  }
  if (auto a = n.as_array()) {
    json j = json::array();
    for (const auto& e : *a) j.push_back(to_json(e, file));
    return j;
  }
  if (auto t = n.as_table()) {
    json j = json::object();
    for (const auto& [k, v] : *t) j[std::string(k.str())] = to_json(v, file);
    return j;
  }
  throw InputError(location(n.source(), file), "dates and times are not accepted here",
                   "a string, number, bool, list or table");
}

std::string type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a bool";
    default: return "a date or time";
  }
}

const toml::table& require_table(const toml::node& n, const std::string& what, const std::string& file,
                                 const std::string& expected) {
  if (auto t = n.as_table()) return *t;
  throw InputError(location(n.source(), file), what + " is " + type_of(n), expected);
}

// Tables become dotted keys ([defaults.encoder] mode = ... is encoder.mode); every other value is a leaf.
void flatten(const toml::table& t, const std::string& prefix, const std::string& file, Settings& out) {
  for (const auto& [k, v] : t) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (auto sub = v.as_table())
      flatten(*sub, key, file, out);
    else
      out.push_back({key, to_json(v, file), location(k.source(), file)});
  }
}

Settings flatten_sorted(const toml::table& t, const std::string& file) {
  Settings out;
  flatten(t, "", file, out);
  // toml++ iterates keys alphabetically; file order decides which of two spellings of a key wins.
  std::stable_sort(out.begin(), out.end(), [](const Setting& a, const Setting& b) { return before(a.where, b.where); });
  return out;
}

// Checks a key and its value by setting it on a scratch Config; errors carry the setting's place.
void apply(Config& config, const Setting& s) {
  try {
    set_config_value(config, s.key, s.value);
  } catch (const InputError& e) {
    throw InputError(s.where, e.problem(), e.expected());
  }
}

void check_settings(const Settings& settings, const std::string& section) {
  Config scratch;
  for (const auto& s : settings) {
    if (s.key == "experiment")
      throw InputError(s.where, "'experiment' cannot be set in " + section, "the top-level `name = \"...\"`");
    if (s.key == "variant" && section.rfind("[variants.", 0) == 0)
      throw InputError(s.where, "a variant cannot set 'variant'", "config keys other than variant");
    apply(scratch, s);
  }
}

void merge_settings(Settings& into, const Settings& from) { into.insert(into.end(), from.begin(), from.end()); }

// Named tables of settings: [variants.NAME] and [profiles.NAME].
void read_named(const toml::node& n, const std::string& section, const std::string& file,
                std::map<std::string, Settings>& into) {
  const auto& t = require_table(n, "[" + section + "]", file, "a table of named tables, e.g. [" + section + ".NAME]");
  for (const auto& [k, v] : t) {
    const std::string name(k.str());
    const std::string where = "[" + section + "." + name + "]";
    const auto& body = require_table(v, where, file, "a table of config keys");
    Settings s = flatten_sorted(body, file);
    check_settings(s, where);
    merge_settings(into[name], s);  // creates the entry even when empty: [variants.hecto] is a variant
  }
}

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
      throw InputError(where, "matrix axis '" + name + "' is " + type_of(v), "a list of values, e.g. " + name + " = [...]");
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

Matrix read_matrix(const toml::node& n, const std::string& file) {
  const auto& t = require_table(n, "[matrix]", file, "a table of axes, e.g. seed = [0, 1, 2]");
  Matrix m;
  read_axes(t, "", file, m);
  std::stable_sort(m.axes.begin(), m.axes.end(), [](const Axis& a, const Axis& b) { return before(a.where, b.where); });
  return m;
}

struct Reader {
  Experiment& exp;
  std::vector<fs::path> stack;                                // files being read, for include cycles
  std::vector<std::pair<std::string, std::string>> texts;     // (file, text) in reading order

  void read(const std::string& display, const SourceLocation& included_from) {
    const fs::path canonical = fs::weakly_canonical(fs::absolute(display));
    if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
      std::string chain;
      for (const auto& p : stack) chain += p.filename().string() + " -> ";
      throw InputError(included_from, "include cycle: " + chain + canonical.filename().string(),
                       "includes that do not include themselves");
    }
    std::ifstream in(display, std::ios::binary);
    if (!in) {
      SourceLocation where = included_from.file.empty() ? SourceLocation{display} : included_from;
      throw InputError(where, "cannot read experiment file '" + display + "'", "an existing, readable TOML file");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    toml::table root;
    try {
      root = toml::parse(text, display);
    } catch (const toml::parse_error& e) {
      throw InputError(location(e.source(), display), "invalid TOML: " + std::string(e.description()),
                       "TOML syntax (https://toml.io)");
    }
    stack.push_back(canonical);
    texts.emplace_back(display, text);
    const bool top_level = stack.size() == 1;

    for (const auto& [k, v] : root) {
      const std::string key(k.str());
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key) == kTopLevelKeys.end())
        throw InputError(location(k.source(), display),
                         "unknown top-level key '" + key + "' (did you mean '" + common::closest_match(key, kTopLevelKeys) + "'?)",
                         "name, description, include, defaults, variants, profiles, matrix or pretrain");
    }

    // Included files are merged first, in order, so this file's own values win.
    if (const auto* inc = root.get("include")) {
      std::vector<const toml::node*> items;
      if (auto a = inc->as_array())
        for (const auto& e : *a) items.push_back(&e);
      else
        items.push_back(inc);
      for (const auto* item : items) {
        const SourceLocation where = location(item->source(), display);
        if (!item->is_string()) throw InputError(where, "include entry is " + type_of(*item), "a file path in quotes");
        fs::path target(item->as_string()->get());
        if (target.is_relative()) target = fs::path(display).parent_path() / target;
        read(target.lexically_normal().string(), where);
      }
    }

    if (const auto* n = root.get("name")) {
      if (!n->is_string() || n->as_string()->get().empty())
        throw InputError(location(n->source(), display), "name is " + type_of(*n), "a non-empty string");
      if (top_level) exp.name = n->as_string()->get();
    } else if (top_level) {
      throw InputError({display, 1, 1}, "the experiment has no name", "name = \"...\" at the top of the file");
    }
    if (const auto* n = root.get("description")) {
      if (!n->is_string()) throw InputError(location(n->source(), display), "description is " + type_of(*n), "a string");
      exp.description = n->as_string()->get();
    }
    if (const auto* n = root.get("defaults")) {
      Settings s = flatten_sorted(require_table(*n, "[defaults]", display, "a table of config keys"), display);
      check_settings(s, "[defaults]");
      merge_settings(exp.defaults, s);
    }
    if (const auto* n = root.get("variants")) read_named(*n, "variants", display, exp.variants);
    if (const auto* n = root.get("profiles")) read_named(*n, "profiles", display, exp.profiles);
    if (const auto* n = root.get("matrix")) exp.matrix = read_matrix(*n, display);  // a later [matrix] replaces
    if (const auto* n = root.get("pretrain")) {
      require_table(*n, "[pretrain]", display, "a table");
      if (exp.pretrain.is_null()) exp.pretrain = json::object();
      exp.pretrain.merge_patch(to_json(*n, display));
    }
    exp.files.push_back(display);
    stack.pop_back();
  }
};

// Every explicit `variant` must name a [variants] table; the implicit default need not.
void check_variant_name(const Experiment& exp, const Setting& s) {
  if (s.key != "variant" || exp.variants.count(s.value.get<std::string>())) return;
  std::vector<std::string> names;
  std::string list;
  for (const auto& [name, _] : exp.variants) {
    names.push_back(name);
    list += (list.empty() ? "" : ", ") + name;
  }
  std::string problem = "unknown variant '" + s.value.get<std::string>() + "'";
  if (!names.empty()) problem += " (did you mean '" + common::closest_match(s.value.get<std::string>(), names) + "'?)";
  throw InputError(s.where, problem, names.empty() ? "a [variants.NAME] table for it" : "one of: " + list);
}

void check_matrix(const Experiment& exp) {
  if (!exp.matrix) return;
  for (const auto& axis : exp.matrix->axes)
    for (const auto& v : axis.values) check_variant_name(exp, v);
  for (const auto& row : exp.matrix->exclude)
    for (const auto& s : row) {
      const std::string key = resolve_axis_key(s.key);
      const bool is_axis = std::any_of(exp.matrix->axes.begin(), exp.matrix->axes.end(),
                                       [&](const Axis& a) { return a.key == key; });
      if (!is_axis) throw InputError(s.where, "matrix.exclude names '" + s.key + "', which is not a matrix axis", "an axis of [matrix]");
    }
  for (const auto& row : exp.matrix->include)
    for (const auto& s : row) check_variant_name(exp, {resolve_axis_key(s.key), s.value, s.where});
}

// A matrix combination: the settings a cell gets from the matrix, and which of them are axis values.
struct Combination {
  Settings settings;
  std::map<std::string, json> original;  // axis key -> value: what include rows match against
};

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

json value_at(const json& config_json, const std::string& key) {
  std::string p = "/" + key;
  std::replace(p.begin(), p.end(), '.', '/');
  return config_json.at(json::json_pointer(p));
}

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
  if (c.encoder.source == "pretrained" && c.encoder.path.empty())
    throw InputError(origin_of(cell, "encoder.source", exp), "encoder.source is \"pretrained\" but encoder.path is empty",
                     "encoder.path = a directory with config.json and model.safetensors, or encoder.source = \"random\"");
  if (c.encoder.source == "random" && c.encoder.dim % c.encoder.n_heads != 0)
    throw InputError(origin_of(cell, "encoder.n_heads", exp),
                     "encoder.dim = " + std::to_string(c.encoder.dim) + " is not divisible by encoder.n_heads = " +
                         std::to_string(c.encoder.n_heads),
                     "n_heads dividing dim");
}

}  // namespace

Experiment parse_experiment(const std::string& path) {
  Experiment exp;
  exp.source_file = path;
  Reader reader{exp, {}, {}};
  reader.read(path, {});
  // The given file's text first; included files follow so the stored source explains every value.
  for (size_t i = 0; i < reader.texts.size(); ++i) {
    const auto& [file, text] = reader.texts[i];
    exp.source_text += i == 0 ? text : "\n# ---- included file: " + file + " ----\n" + text;
  }
  for (const auto& s : exp.defaults) check_variant_name(exp, s);
  for (const auto& [_, settings] : exp.profiles)
    for (const auto& s : settings) check_variant_name(exp, s);
  check_matrix(exp);
  return exp;
}

Setting parse_override(const std::string& text) {
  const SourceLocation where{"--set " + text};
  const auto eq = text.find('=');
  std::string key = eq == std::string::npos ? "" : text.substr(0, eq);
  key.erase(0, key.find_first_not_of(" \t"));
  key.erase(key.find_last_not_of(" \t") + 1);
  if (key.empty()) throw InputError(where, "malformed override", "key=value, e.g. train.lr=3e-5 or data.task=sst2");
  key = resolve_axis_key(key);
  const std::string raw = text.substr(eq + 1);

  json value = raw;
  try {
    const toml::table t = toml::parse("v = " + raw);
    if (const auto* v = t.get("v")) value = to_json(*v, where.file);
  } catch (const toml::parse_error&) {
    // not a TOML value: the bare text is the string
  } catch (const InputError&) {
  }
  for (const auto& [k, type] : config_keys())
    if (k == key && type == "string" && !value.is_string()) value = raw;  // --set encoder.name=2024 means the text

  Setting s{key, value, where};
  if (key == "experiment") throw InputError(where, "'experiment' cannot be overridden", "the experiment file's name");
  Config scratch;
  apply(scratch, s);
  return s;
}

std::string axis_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::vector<ExpandedCell> expand_experiment(const Experiment& exp, const std::string& profile, const Settings& overrides) {
  static const Settings kNone;
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

  const Matrix no_matrix;
  const Matrix& matrix = exp.matrix ? *exp.matrix : no_matrix;
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
    std::string variant = Config{}.variant;
    for (const Settings* layer : {&exp.defaults, profile_settings, &combo.settings, &overrides})
      for (const auto& s : *layer)
        if (s.key == "variant") variant = s.value.get<std::string>();
    auto v = exp.variants.find(variant);

    ExpandedCell cell;
    for (const Settings* layer : {&exp.defaults, profile_settings, v == exp.variants.end() ? &kNone : &v->second,
                                  &combo.settings, &overrides})
      for (const auto& s : *layer) {
        apply(cell.config, s);
        cell.origin[s.key] = s.where;
      }
    cell.config.variant = variant;
    cell.config.experiment = exp.name;
    check_cell(cell, exp);

    const json j = cell.config.to_json();
    for (const auto& name : kCoreAxes) cell.axes[name] = axis_text(value_at(j, resolve_axis_key(name)));
    for (const auto& name : extra_axes) cell.axes[name] = axis_text(value_at(j, name));
    cells.push_back(std::move(cell));
  }
  return cells;
}

}  // namespace hecto::experiment
