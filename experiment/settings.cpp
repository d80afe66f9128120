#include "experiment/settings.h"

#include "common/closest_match.h"

namespace hecto::experiment {

using common::InputError;

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

}  // namespace hecto::experiment
