// Where the datasets live. An explicit choice must exist; the fallbacks are only taken when
// they look like a data directory, so a stray empty ./data does not hide ../shared/data.
#include <cstdlib>
#include <filesystem>

#include "common/env.h"
#include "common/error.h"
#include "tasks/task.h"

namespace hecto::tasks {

namespace fs = std::filesystem;

std::string resolve_data_dir(const std::string& explicit_dir) {
  auto absolute = [](const fs::path& p) { return fs::weakly_canonical(fs::absolute(p)).string(); };
  if (!explicit_dir.empty()) {
    if (!fs::is_directory(explicit_dir))
      throw common::InputError({}, "data directory '" + explicit_dir + "' does not exist",
                               "a directory holding ag_news/, sst2/, stsb/, hotpotqa/");
    return absolute(explicit_dir);
  }
  if (const auto env = common::env::get("HECTO_DATA_DIR"); env && !env->empty()) {
    if (!fs::is_directory(*env))
      throw common::InputError({}, "$HECTO_DATA_DIR='" + *env + "' is not a directory",
                               "a directory holding ag_news/, sst2/, stsb/, hotpotqa/");
    return absolute(*env);
  }
  if (fs::is_directory(fs::path("data") / "ag_news")) return absolute("data");
  if (fs::is_directory(fs::path("..") / "shared" / "data")) return absolute(fs::path("..") / "shared" / "data");
  throw common::InputError({},
                           "no data directory found: tried --data-dir (not given), $HECTO_DATA_DIR (unset), "
                           "./data/ag_news (absent) and ../shared/data (absent)",
                           "run `make data` (scripts/fetch-data.sh data) or pass --data-dir");
}

std::string default_vocab_path(const std::string& data_dir) {
  return (fs::path(data_dir) / "tokenizer" / "bert-base-uncased" / "vocab.txt").string();
}

}  // namespace hecto::tasks
