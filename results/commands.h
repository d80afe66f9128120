#pragma once
// The work behind `hecto query` and `hecto merge`; the CLI only parses their options.
#include <ostream>
#include <string>
#include <vector>

#include "results/records.h"

namespace hecto::results {

struct QueryOptions {
  std::string db_path = kDefaultDbPath;
  std::string format = "table";  // table | csv | json
  std::string sql;
};

// Prints the result; returns 0. Bad SQL or a writing statement throws InputError (exit 2).
int run_query(const QueryOptions& options, std::ostream& out);

// Merges each input into `output` (created when missing) and prints what each brought.
// Returns 1 when any cell conflicted, else 0.
int run_merge(const std::string& output, const std::vector<std::string>& inputs, std::ostream& out);

}  // namespace hecto::results
