#include "reports/reference.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace hecto::reports {

namespace fs = std::filesystem;

namespace {

// The file names a few metrics as the paper words them.
std::string canonical_metric(const std::string& name) {
  static const std::map<std::string, std::string> aliases = {{"inference_s_per_sample", "infer_s_per_sample"}};
  auto it = aliases.find(name);
  return it == aliases.end() ? name : it->second;
}

}  // namespace

const PaperFigure* Reference::find(const std::string& task, const std::string& variant, int batch_size,
                                   const std::string& encoder_mode, const std::string& metric) const {
  for (const auto& f : figures)
    if (f.task == task && f.variant == variant && f.batch_size == batch_size && f.encoder_mode == encoder_mode &&
        f.metric == metric)
      return &f;
  return nullptr;
}

Reference load_reference(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw common::InputError({path}, "cannot read the paper's reference figures", "a readable JSON file");
  Reference ref;
  ref.path = path;
  try {
    const auto doc = nlohmann::json::parse(in);
    ref.paper = doc.value("paper", "");
    ref.encoder = doc.value("encoder", kPaperEncoder);
    for (const auto& j : doc.at("figures")) {
      PaperFigure f;
      f.id = j.value("id", "");
      f.task = j.at("task").get<std::string>();
      f.variant = j.at("variant").get<std::string>();
      f.batch_size = j.at("batch_size").get<int>();
      f.encoder_mode = j.at("encoder").get<std::string>();
      f.metric = canonical_metric(j.at("metric").get<std::string>());
      f.value = j.at("value").get<double>();
      f.unit = j.value("unit", "");
      f.source = j.value("source", "");
      f.device = j.value("device", "");
      f.approximate = j.value("approximate", false);
      ref.figures.push_back(f);
    }
  } catch (const nlohmann::json::exception& e) {
    throw common::InputError({path}, std::string("malformed paper reference: ") + e.what(),
                             "{\"figures\": [{task, variant, batch_size, encoder, metric, value, ...}]}");
  }
  return ref;
}

std::string find_reference_path() {
  const fs::path rel = fs::path("reports") / "paper_reference.json";
  std::error_code ec;
  for (fs::path dir = fs::current_path(ec); !ec && !dir.empty(); dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / rel, ec)) return (dir / rel).string();
    if (dir == dir.parent_path()) break;
  }
#ifdef HECTO_REPORTS_SOURCE_DIR
  const fs::path built = fs::path(HECTO_REPORTS_SOURCE_DIR) / rel;
  if (fs::is_regular_file(built, ec)) return built.string();
#endif
  return "";
}

}  // namespace hecto::reports
