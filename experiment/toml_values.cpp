#include "experiment/toml_values.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hecto::experiment {

namespace fs = std::filesystem;
using common::InputError;
using common::SourceLocation;
using nlohmann::json;

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
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a bool";
    default:
      return "a date or time";
  }
}

const toml::table& require_table(const toml::node& n, const std::string& what, const std::string& file,
                                 const std::string& expected) {
  if (auto t = n.as_table()) return *t;
  throw InputError(location(n.source(), file), what + " is " + type_of(n), expected);
}

namespace {

// Tables become dotted keys; every other value is a leaf.
void flatten(const toml::table& t, const std::string& prefix, const std::string& file, Settings& out) {
  for (const auto& [k, v] : t) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (auto sub = v.as_table())
      flatten(*sub, key, file, out);
    else
      out.push_back({key, to_json(v, file), location(k.source(), file)});
  }
}

}  // namespace

Settings flatten_sorted(const toml::table& t, const std::string& file) {
  Settings out;
  flatten(t, "", file, out);
  // toml++ iterates keys alphabetically; file order decides which of two spellings of a key wins.
  std::stable_sort(out.begin(), out.end(), [](const Setting& a, const Setting& b) { return before(a.where, b.where); });
  return out;
}

std::string read_regular_file(const std::string& path, const SourceLocation& where, const std::string& what) {
  const SourceLocation at = where.file.empty() ? SourceLocation{path} : where;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    throw InputError(at, "cannot read " + what + " '" + path + "': no such file", "an existing, readable file");
  if (fs::is_directory(status)) throw InputError(at, what + " '" + path + "' is a directory", "a regular file");
  if (!fs::is_regular_file(status))
    throw InputError(at, what + " '" + path + "' is not a regular file (a FIFO, socket or device)", "a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(at, "cannot read " + what + " '" + path + "'", "an existing, readable file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

toml::table parse_toml(const std::string& text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw InputError(location(e.source(), file), "invalid TOML: " + std::string(e.description()),
                     "TOML syntax (https://toml.io)");
  }
}

}  // namespace hecto::experiment
