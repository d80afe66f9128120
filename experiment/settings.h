#pragma once
// Settings from experiment files and --set, checked against the config key registry with the
// place they were written, so every error points at its file:line:column.
#include <string>

#include "experiment/experiment.h"

namespace hecto::experiment {

// Sets one setting on a config; errors carry the setting's place.
void apply(Config& config, const Setting& s);
// Checks a section's settings on a scratch config (`section` names it in errors: "[defaults]").
void check_settings(const Settings& settings, const std::string& section);
void merge_settings(Settings& into, const Settings& from);
// Every explicit `variant` must name a [variants] table; the implicit default need not.
void check_variant_name(const Experiment& exp, const Setting& s);

}  // namespace hecto::experiment
