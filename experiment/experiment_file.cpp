// Reading experiment files: the file and its includes, every key and value checked with its
// file:line:column; and --set overrides.
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>

#include "common/closest_match.h"
#include "experiment/experiment.h"
#include "experiment/matrix.h"
#include "experiment/settings.h"
#include "experiment/toml_values.h"

namespace hecto::experiment {

namespace fs = std::filesystem;
using common::InputError;
using common::SourceLocation;
using nlohmann::json;

namespace {

const std::vector<std::string> kTopLevelKeys = {"name",     "description", "include", "defaults",
                                                "variants", "profiles",    "matrix",  "pretrain"};

// Calls `read(name, where, settings)` for each named table of settings: [variants.NAME], [profiles.NAME].
template <class ReadOne>
void for_each_named(const toml::node& n, const std::string& section, const std::string& file, ReadOne read) {
  const auto& t = require_table(n, "[" + section + "]", file, "a table of named tables, e.g. [" + section + ".NAME]");
  for (const auto& [k, v] : t) {
    const std::string name(k.str());
    const std::string where = "[" + section + "." + name + "]";
    read(name, where, flatten_sorted(require_table(v, where, file, "a table of config keys"), file));
  }
}

void read_variants(const toml::node& n, const std::string& file, Experiment& exp) {
  for_each_named(n, "variants", file, [&](const std::string& name, const std::string& where, Settings s) {
    check_settings(s, where);
    merge_settings(exp.variants[name], s);  // creates the entry even when empty: [variants.hecto] is a variant
  });
}

const std::string kProfileTasks = "tasks.";  // [profiles.P.tasks.T] flattens to tasks.T.key

// Splits `tasks.TASK.key` into TASK and `key`, checking TASK names a task.
std::string task_of_profile_setting(Setting& s, const std::string& profile, const std::string& where) {
  const auto dot = s.key.find('.', kProfileTasks.size());
  if (dot == std::string::npos)
    throw InputError(s.where, "'" + s.key + "' in " + where + " names no config key",
                     "[profiles." + profile + ".tasks.TASK] with config keys, e.g. data.train_size = 10000");
  const std::string task = s.key.substr(kProfileTasks.size(), dot - kProfileTasks.size());
  Config scratch;
  apply(scratch, Setting{"data.task", task, s.where});  // an unknown task is an error here
  s.key = s.key.substr(dot + 1);
  if (s.key == "data.task")
    throw InputError(s.where, "[profiles." + profile + ".tasks." + task + "] sets data.task",
                     "settings for the task's cells, not another task");
  return task;
}

// [profiles.NAME], whose `tasks.TASK.key = value` settings apply to that task's cells alone.
void read_profiles(const toml::node& n, const std::string& file, Experiment& exp) {
  for_each_named(n, "profiles", file, [&](const std::string& name, const std::string& where, Settings settings) {
    Settings own;
    std::map<std::string, Settings> by_task;
    for (auto& s : settings) {
      if (s.key.rfind(kProfileTasks, 0) != 0) {
        own.push_back(std::move(s));
        continue;
      }
      const std::string task = task_of_profile_setting(s, name, where);
      by_task[task].push_back(std::move(s));
    }
    check_settings(own, where);
    merge_settings(exp.profiles[name], own);  // creates the entry even when empty
    for (auto& [task, task_settings] : by_task) {
      check_settings(task_settings, where + ".tasks." + task);
      merge_settings(exp.profile_tasks[name][task], task_settings);
    }
  });
}

struct Reader {
  Experiment& exp;
  std::vector<fs::path> stack;                             // files being read, for include cycles
  std::vector<std::pair<std::string, std::string>> texts;  // (file, text) in reading order

  void read(const std::string& display, const SourceLocation& included_from) {
    const fs::path canonical = fs::weakly_canonical(fs::absolute(display));
    if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
      std::string chain;
      for (const auto& p : stack) chain += p.filename().string() + " -> ";
      throw InputError(included_from, "include cycle: " + chain + canonical.filename().string(),
                       "includes that do not include themselves");
    }
    const std::string text = read_regular_file(display, included_from, "experiment file");
    const toml::table root = parse_toml(text, display);
    stack.push_back(canonical);
    texts.emplace_back(display, text);
    const bool top_level = stack.size() == 1;

    for (const auto& [k, v] : root) {
      const std::string key(k.str());
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key) == kTopLevelKeys.end())
        throw InputError(
            location(k.source(), display),
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
      if (!n->is_string())
        throw InputError(location(n->source(), display), "description is " + type_of(*n), "a string");
      exp.description = n->as_string()->get();
    }
    if (const auto* n = root.get("defaults")) {
      Settings s = flatten_sorted(require_table(*n, "[defaults]", display, "a table of config keys"), display);
      check_settings(s, "[defaults]");
      merge_settings(exp.defaults, s);
    }
    if (const auto* n = root.get("variants")) read_variants(*n, display, exp);
    if (const auto* n = root.get("profiles")) read_profiles(*n, display, exp);
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
  for (const auto& [profile, tasks] : exp.profile_tasks)
    for (const auto& [task, settings] : tasks)
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

}  // namespace hecto::experiment
