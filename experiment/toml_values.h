#pragma once
// TOML nodes as the experiment layer reads them: JSON values with the place they were written,
// tables flattened to dotted keys, and files read only when they are regular files (a directory
// or a FIFO named by `include` is an error, not a hang).
#include <toml++/toml.h>

#include <string>

#include "common/error.h"
#include "experiment/experiment.h"

namespace hecto::experiment {

common::SourceLocation location(const toml::source_region& r, const std::string& file);
bool before(const common::SourceLocation& a, const common::SourceLocation& b);
nlohmann::json to_json(const toml::node& n, const std::string& file);
std::string type_of(const toml::node& n);  // "a table", "a list", ...
const toml::table& require_table(const toml::node& n, const std::string& what, const std::string& file,
                                 const std::string& expected);
// Tables become dotted keys ([defaults.encoder] mode = ... is encoder.mode), in file order.
Settings flatten_sorted(const toml::table& t, const std::string& file);

// The text of a regular file; InputError at `where` (or at the path) for anything else.
std::string read_regular_file(const std::string& path, const common::SourceLocation& where, const std::string& what);
// Parses TOML text; InputError with file:line:column on a syntax error.
toml::table parse_toml(const std::string& text, const std::string& file);

}  // namespace hecto::experiment
