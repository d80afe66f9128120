#pragma once
// The schema as an ordered list of migrations. Migration i (0-based) brings a database from
// version i to version i+1 and runs in its own transaction; PRAGMA user_version records the
// version reached. A released migration is never edited: a change is a new entry at the end.
#include <string>
#include <vector>

#include "results/sqlite.h"

namespace hecto::results {

// 'HECT': marks a file as ours, so a foreign SQLite database is refused, not altered.
constexpr int kApplicationId = 0x48454354;

const std::vector<std::string>& migrations();
int latest_schema_version();

// The metric columns v_results and v_summary expose (v_summary: <name>_mean, <name>_std).
const std::vector<std::string>& summary_metric_columns();

int read_schema_version(sqlite::Connection& db);
// Applies every migration the file lacks. Throws RunError for a newer or foreign database.
void migrate(sqlite::Connection& db, const std::string& path);

}  // namespace hecto::results
