#include "experiment/plan.h"

#include <filesystem>
#include <set>

#include "common/error.h"
#include "common/sha256.h"
#include "experiment/experiment.h"
#include "experiment/select.h"
#include "tasks/task.h"

namespace hecto::experiment {

namespace fs = std::filesystem;
using common::InputError;

namespace {

DataFilesHook& data_files_hook() {
  static DataFilesHook hook;
  return hook;
}

std::vector<std::string> task_source_files(const Config& c, const std::string& data_dir) {
  return tasks::make_task(c.data.task, task_options(c, data_dir))->source_files();
}

// One load_plan call hashes each file once, however many cells read it.
class FileHashes {
 public:
  const std::string& of(const std::string& path) {
    auto it = cache_.find(path);
    if (it == cache_.end()) it = cache_.emplace(path, common::sha256_file(path)).first;
    return it->second;
  }

 private:
  std::map<std::string, std::string> cache_;
};

common::SourceLocation origin_or_file(const ExpandedCell& cell, const std::string& key, const std::string& file) {
  auto it = cell.origin.find(key);
  return it != cell.origin.end() ? it->second : common::SourceLocation{file};
}

std::vector<std::string> data_hashes(const ExpandedCell& cell, const std::string& data_dir, const std::string& file,
                                     FileHashes& hashes) {
  std::vector<std::string> files;
  try {
    files = data_files_hook() ? data_files_hook()(cell.config, data_dir) : task_source_files(cell.config, data_dir);
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    // The tasks module knows what is wrong (a framing, a missing file) but not where it was asked for.
    const std::string key = cell.origin.count("data.framing") ? "data.framing" : "data.task";
    throw InputError(origin_or_file(cell, key, file), e.problem(), e.expected());
  }
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(hashes.of(f));
  return out;
}

std::string weights_hash(const ExpandedCell& cell, const std::string& file, FileHashes& hashes) {
  const EncoderOptions& e = cell.config.encoder;
  if (e.source != EncoderSource::Pretrained) return "";
  const fs::path weights = fs::path(e.path) / "model.safetensors";
  if (!fs::is_regular_file(weights))
    throw InputError(
        origin_or_file(cell, "encoder.path", file),
        "encoder weights " + weights.string() + " not found (cell ids hash the weights)",
        "encoder.path = a directory holding model.safetensors (make weights), or encoder.source = \"random\"");
  return hashes.of(fs::absolute(weights).lexically_normal().string());
}

// Keys added after results were stored stay out of a cell's id while they hold their defaults,
// so a new option does not turn every stored cell into one that must run again.
void drop_later_keys_at_defaults(nlohmann::json& j) {
  static const std::vector<std::pair<std::string, std::string>> later_keys = {{"train", "embedding_lr_scale"},
                                                                              {"data", "validation_size"}};
  static const nlohmann::json defaults = Config{}.to_json();
  for (const auto& [table, key] : later_keys)
    if (j.contains(table) && j[table].contains(key) && j[table][key] == defaults[table][key]) j[table].erase(key);
}

}  // namespace

void set_data_files_hook(DataFilesHook hook) { data_files_hook() = std::move(hook); }

std::string cell_id(const Config& config, const std::vector<std::string>& data_sha256,
                    const std::string& weights_sha256) {
  nlohmann::json j = config.to_json();
  j.erase("experiment");  // the same cell in two experiment files is one result
  drop_later_keys_at_defaults(j);
  common::Sha256 h;
  h.update(j.dump());
  for (const auto& d : data_sha256) h.update("\ndata:").update(d);
  if (!weights_sha256.empty()) h.update("\nweights:").update(weights_sha256);
  return h.hex().substr(0, 16);
}

Plan load_plan(const std::string& path, const PlanOptions& options) {
  const Experiment exp = parse_experiment(path);
  Settings overrides;
  for (const auto& o : options.overrides) overrides.push_back(parse_override(o));
  for (const auto& [flag, setting] : options.flag_overrides) {
    Setting s = parse_override(setting);
    s.where = common::SourceLocation{flag};
    overrides.push_back(std::move(s));
  }
  std::vector<CellFilter> filters;
  for (const auto& f : options.only) filters.push_back(parse_cell_filter(f));
  const std::vector<ExpandedCell> expanded =
      select_cells(expand_experiment(exp, options.profile, overrides), filters, path, options.only_may_select_nothing);

  Plan plan;
  plan.experiment = exp.name;
  plan.source_file = fs::absolute(path).lexically_normal().string();
  plan.source_text = exp.source_text;
  plan.pretrain = exp.pretrain;

  const std::string data_dir = tasks::resolve_data_dir(options.data_dir);
  FileHashes hashes;
  std::set<std::string> seen;
  for (const auto& e : expanded) {
    Cell cell{e.config, cell_id(e.config, data_hashes(e, data_dir, path, hashes), weights_hash(e, path, hashes)),
              e.axes};
    if (seen.insert(cell.id).second) plan.cells.push_back(std::move(cell));
  }
  return plan;
}

int shard_of(const std::string& cell_id, int n_shards) {
  if (n_shards < 1) throw InputError({"shard"}, "invalid shard count " + std::to_string(n_shards), "N >= 1");
  if (cell_id.size() < 8) throw InputError({"shard"}, "cell id '" + cell_id + "' is too short", "16 hex digits");
  const unsigned long lead = std::stoul(cell_id.substr(0, 8), nullptr, 16);
  return static_cast<int>(lead % static_cast<unsigned long>(n_shards));
}

Shard parse_shard(const std::string& text) {
  const common::SourceLocation where{"--shard " + text};
  const std::string expected = "i/N with 0 <= i < N, e.g. 0/4";
  const auto slash = text.find('/');
  auto number = [&](const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9)
      throw InputError(where, "malformed shard '" + text + "'", expected);
    return std::stoi(s);
  };
  if (slash == std::string::npos) throw InputError(where, "malformed shard '" + text + "'", expected);
  Shard s{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (s.count < 1 || s.index >= s.count)
    throw InputError(where, "shard index " + std::to_string(s.index) + " is outside 0.." + std::to_string(s.count - 1),
                     expected);
  return s;
}

std::vector<Cell> cells_for_shard(const Plan& plan, int index, int n_shards) {
  std::vector<Cell> out;
  for (const auto& c : plan.cells)
    if (shard_of(c.id, n_shards) == index) out.push_back(c);
  return out;
}

std::vector<std::string> cell_ids(const std::vector<Cell>& cells) {
  std::vector<std::string> ids;
  ids.reserve(cells.size());
  for (const auto& c : cells) ids.push_back(c.id);
  return ids;
}

}  // namespace hecto::experiment
