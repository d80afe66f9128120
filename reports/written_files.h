#pragma once
// The files a report wrote in its directory, listed in DIR/.hecto-report-files, so that the next
// report of the same directory removes the ones it no longer writes (the table of an experiment
// that left the database, the claims table of an encoder no longer in it) and no other file.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace hecto::reports {

class WrittenFiles {
 public:
  // Reads the list an earlier report left in `dir` (none: an empty list).
  explicit WrittenFiles(std::filesystem::path dir);

  // A file this report wrote, relative to the directory ("main.csv", "plots/usage.dat").
  void add(const std::string& relative);

  // Removes the files of the earlier list that this report did not write, where this report
  // wrote that format ("md", "latex", "csv" or "html"; format_of); keeps the others. Writes the
  // new list and returns the removed files.
  std::vector<std::string> finish(const std::set<std::string>& formats_written);

  // The format a report file belongs to: tables.md -> md, tables.tex -> latex, *.csv -> csv,
  // index.html and plots/* -> html; "" for anything else.
  static std::string format_of(const std::string& relative);

 private:
  std::filesystem::path dir_;
  std::set<std::string> earlier_, now_;
};

}  // namespace hecto::reports
