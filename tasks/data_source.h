#pragma once
// Where a data file came from: `make data` (scripts/fetch-data.sh) writes SOURCE.json into the
// data directory, naming each file's kind, "official" (downloaded from its official source and
// checked) or "staged" (the project's staged subset or copy), with its sha256. Cells store the
// kind of every file they read, and the report labels figures computed on staged subsets.
#include <string>

namespace hecto::tasks {

// "official" or "staged" when SOURCE.json records the file with this sha256; else "staged" when
// the file is byte for byte one of the staged files (known_files.h: a data directory without
// SOURCE.json, such as ../shared/data); else "" (unknown: a file neither `make data` nor the
// staged set vouches for). `file` is an absolute path under `data_dir`.
std::string data_source_kind(const std::string& data_dir, const std::string& file, const std::string& sha256);

}  // namespace hecto::tasks
