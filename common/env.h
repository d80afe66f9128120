#pragma once
// Every environment variable hecto reads or sets, in one table (docs/environment.md lists the
// same rows; a test keeps the two equal and finds no other reader of the environment in the tree).
#include <optional>
#include <string>
#include <vector>

namespace hecto::common::env {

struct Variable {
  std::string name;
  std::string used_by;  // the module that reads it
  std::string meaning;
};

const std::vector<Variable>& variables();

// The variable's value, or nullopt when unset. std::logic_error for a name not in the table: a
// new variable is documented before it is read.
std::optional<std::string> get(const std::string& name);
// Sets a variable of the table for this process and the ones it starts.
void set(const std::string& name, const std::string& value);
void unset(const std::string& name);

}  // namespace hecto::common::env
