#include "runner/worker_command.h"

namespace hecto::runner {

std::vector<std::string> worker_arguments(const RunOptions& o, int threads, const std::string& device) {
  std::vector<std::string> a{"/proc/self/exe"};
  for (int i = 0; i < o.verbosity; ++i) a.push_back("-v");
  for (int i = 0; i > o.verbosity; --i) a.push_back("-q");
  if (!o.log_file.empty()) a.insert(a.end(), {"--log-file", o.log_file});
  a.insert(a.end(), {"--threads", std::to_string(threads), "run", o.experiment_file, "--db", o.db_path});
  for (const auto& s : o.overrides) a.insert(a.end(), {"--set", s});
  for (const auto& s : o.only) a.insert(a.end(), {"--only", s});
  if (!o.profile.empty()) a.insert(a.end(), {"--profile", o.profile});
  if (!o.data_dir.empty()) a.insert(a.end(), {"--data-dir", o.data_dir});
  if (!o.shard.empty()) a.insert(a.end(), {"--shard", o.shard});
  a.insert(a.end(), {"--jobs", "1", "--cache-dir", o.cache_dir, "--artifact-dir", o.artifact_dir, "--lease",
                     std::to_string(o.lease_seconds)});
  if (o.retry_failed) a.push_back("--retry-failed");
  if (o.no_cache) a.push_back("--no-cache");
  if (o.pad_to_max) a.push_back("--pad-to-max");
  a.insert(a.end(), {"--device", device});
  if (!o.precision.empty()) a.insert(a.end(), {"--precision", o.precision});
  return a;
}

}  // namespace hecto::runner
