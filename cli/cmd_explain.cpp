// `hecto explain`: which tokens sent a text to the expert a trained cell chose for it. Reads the
// cell's artifact (train.save_artifact) and prints each token's integrated-gradient share of the
// chosen expert's gate logit, with the completeness check (model/attribution.h).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "common/error.h"
#include "model/attribution.h"
#include "results/store.h"
#include "train/artifact.h"

namespace hecto::cli {

namespace {

struct ExplainOptions {
  std::string db_path = results::kDefaultDbPath;
  std::string cell;
  std::string artifact_dir = "artifacts";
  bool json = false;
  std::vector<std::string> texts;
};

// The artifact the database recorded for the cell, else <artifact dir>/<cell>.
std::string artifact_path(const ExplainOptions& o) {
  if (std::filesystem::exists(o.db_path)) {
    auto store = results::Store::open(o.db_path, results::Store::Mode::ReadOnly);
    const auto r = store.query("SELECT path FROM artifacts WHERE cell_id = '" + o.cell + "'");
    if (!r.rows.empty()) return r.rows[0][0];
  }
  return (std::filesystem::path(o.artifact_dir) / o.cell).string();
}

int run_explain(const ExplainOptions& o) {
  if (o.cell.empty() || o.cell.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw common::InputError({"--cell " + o.cell}, "not a cell id", "the 16 hex digits `hecto plan` shows");
  auto a = train::load_artifact(artifact_path(o));
  nlohmann::json all = nlohmann::json::array();
  for (const auto& text : o.texts) {
    const auto enc = a.tokenizer.encode(text, a.config.data.max_len);
    const auto ids = torch::tensor(std::vector<int64_t>(enc.ids.begin(), enc.ids.end()));
    const auto attribution = model::gate_attribution(a.encoder, a.head, ids);
    const auto kind = model::to_string(a.head->config().experts[static_cast<size_t>(attribution.expert)]);
    std::vector<std::string> tokens;
    for (int32_t id : enc.ids) tokens.push_back(a.tokenizer.id_to_token(id));
    if (o.json) {
      all.push_back({{"text", text},
                     {"expert", attribution.expert},
                     {"expert_kind", kind},
                     {"tokens", tokens},
                     {"scores", attribution.scores},
                     {"logit", attribution.logit},
                     {"baseline_logit", attribution.baseline_logit},
                     {"completeness_error", attribution.completeness_error()}});
      continue;
    }
    std::cout << text << "\n  -> expert " << attribution.expert << " (" << kind << "), gate logit "
              << fmt::format("{:.4f}", attribution.logit) << " (baseline "
              << fmt::format("{:.4f}", attribution.baseline_logit) << "), scores sum to "
              << fmt::format("{:.4f}", attribution.sum()) << ": completeness error "
              << fmt::format("{:.2f}%", 100 * attribution.completeness_error()) << " (" << attribution.steps
              << " steps)\n ";
    for (size_t i = 0; i < tokens.size(); ++i)
      std::cout << " " << tokens[i] << fmt::format("({:+.3f})", attribution.scores[i]);
    std::cout << "\n";
  }
  if (o.json) std::cout << all.dump() << "\n";
  return 0;
}

}  // namespace

void add_explain_command(CommandContext ctx) {
  auto opts = std::make_shared<ExplainOptions>();
  auto* sub = ctx.app.add_subcommand("explain", "Which tokens sent a text to the expert a trained cell chose");
  sub->add_option("--db", opts->db_path, "Results database that recorded the cell's artifact")->capture_default_str();
  sub->add_option("--cell", opts->cell, "Cell id (hecto plan / hecto query show them)")->required();
  sub->add_option("--artifact-dir", opts->artifact_dir, "Where the artifacts are when the database does not say")
      ->capture_default_str();
  sub->add_flag("--json", opts->json, "One JSON array: per text its tokens, scores, expert and the check");
  sub->add_option("texts", opts->texts, "Texts to explain")->required();
  sub->callback([&action = ctx.action, opts] { action = [opts] { return run_explain(*opts); }; });
}

}  // namespace hecto::cli
