#include "results/commands.h"

#include "results/format.h"
#include "results/store.h"

namespace hecto::results {

int run_query(const QueryOptions& options, std::ostream& out) {
  const OutputFormat format = output_format_from_string(options.format);
  Store store = Store::open(options.db_path, Store::Mode::ReadOnly);
  out << format_result(store.query(options.sql), format);
  return 0;
}

int run_merge(const std::string& output, const std::vector<std::string>& inputs, std::ostream& out) {
  Store store = Store::open(output);
  size_t conflicts = 0;
  for (const auto& input : inputs) {
    MergeReport r = store.merge_from(input);
    out << input << ": " << r.cells_added << " added, " << r.cells_completed << " completed (were unfinished in "
        << output << "), " << r.identical_skipped << " identical skipped, " << r.benchmarks_added
        << " benchmark rows added, " << r.conflicts.size() << " conflicts\n";
    if (r.links_of_older_plans)
      out << "  " << r.links_of_older_plans << " cell" << (r.links_of_older_plans == 1 ? "" : "s")
          << " of an earlier plan unlinked from their experiment (" << input
          << " holds a newer plan of it); their results stay in the cells table\n";
    for (const auto& id : r.conflicts)
      out << "  conflict: cell " << id << " has different metrics in " << input << " than in " << output << " (kept "
          << output << "'s)\n";
    conflicts += r.conflicts.size();
  }
  out << "merged " << inputs.size() << " database" << (inputs.size() == 1 ? "" : "s") << " into " << output;
  if (conflicts) out << "; " << conflicts << " conflicting cell" << (conflicts == 1 ? "" : "s");
  out << "\n";
  return conflicts ? 1 : 0;
}

}  // namespace hecto::results
