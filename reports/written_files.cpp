#include "reports/written_files.h"

#include <fstream>

#include "common/error.h"

namespace hecto::reports {

namespace fs = std::filesystem;

namespace {

const char* kListName = ".hecto-report-files";

}  // namespace

WrittenFiles::WrittenFiles(fs::path dir) : dir_(std::move(dir)) {
  std::ifstream in(dir_ / kListName);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) earlier_.insert(line);
}

void WrittenFiles::add(const std::string& relative) { now_.insert(relative); }

std::string WrittenFiles::format_of(const std::string& relative) {
  const fs::path p(relative);
  if (relative == "tables.md") return "md";
  if (relative == "tables.tex") return "latex";
  if (relative == "index.html" || relative.rfind("plots/", 0) == 0) return "html";
  if (p.extension() == ".csv" && !p.has_parent_path()) return "csv";
  return "";
}

std::vector<std::string> WrittenFiles::finish(const std::set<std::string>& formats_written) {
  std::vector<std::string> removed;
  std::set<std::string> listed = now_;
  for (const auto& f : earlier_) {
    if (now_.count(f)) continue;
    // Only names a report writes, never a path that leaves the directory.
    const std::string format = format_of(f);
    if (format.empty() || f.find("..") != std::string::npos) continue;
    std::error_code ec;
    if (!formats_written.count(format)) {
      if (fs::exists(dir_ / f, ec)) listed.insert(f);
      continue;
    }
    if (fs::remove(dir_ / f, ec)) removed.push_back(f);
  }
  std::ofstream out(dir_ / kListName, std::ios::binary);
  for (const auto& f : listed) out << f << "\n";
  if (!out) throw common::RunError("cannot write " + (dir_ / kListName).string());
  return removed;
}

}  // namespace hecto::reports
