#pragma once
// SHA-256 of every staged dataset file as recorded in shared/data/PROVENANCE.md and MANIFEST.md,
// keyed by path relative to the data directory. scripts/fetch-data.sh carries the same values.
#include <map>
#include <string>

namespace hecto::tasks {

const std::map<std::string, std::string>& known_file_sha256();

}  // namespace hecto::tasks
