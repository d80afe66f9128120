#include "pretrain/record.h"

#include <filesystem>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/sha256.h"
#include "results/store.h"
#include "runtime/provenance.h"
#include "runtime/runtime.h"

namespace hecto::pretrain {

std::string pretrained_encoder_label(const PretrainConfig& c, const PretrainSummary& s) {
  const bool rtd = c.objective == "rtd";
  const std::string steps = rtd ? "replaced-token detection" : "masked LM";
  const std::string objective = c.embedding_init == "sgns"
                                    ? (s.steps_done > 0 ? "skip-gram word embeddings + " + steps : "skip-gram word embeddings")
                                    : (rtd ? "RTD-pretrained" : "MLM-pretrained");
  const std::string cls = c.cls_embedding == "empty" ? ", empty [CLS]" : "";
  return fmt::format("offline distilbert dim {} x {}, {}{}, {} steps ({:.1f} min, {:.1f}M corpus tokens)", c.dim,
                     c.n_layers, objective, cls, s.steps_done, s.minutes, static_cast<double>(s.text_tokens) / 1e6);
}

void record_pretrain_run(const std::string& db_path, const PretrainConfig& config, const PretrainSummary& s) {
  const auto weights = std::filesystem::path(s.output) / "model.safetensors";
  results::PretrainRecord r;
  r.output = s.output;
  r.weights_sha256 = common::sha256_file(weights.string());
  r.encoder_name = pretrained_encoder_label(config, s);
  r.recipe_json = config.recipe_json().dump();
  r.corpus_sha256 = s.corpus_sha256;
  r.corpus_tokens = s.text_tokens;
  r.steps = s.steps_done;
  r.minutes = s.minutes;
  r.initial_loss = s.initial_loss;
  r.final_loss = s.final_loss;
  r.tokens_per_second = s.tokens_per_second;
  r.host = runtime::host_name();
  r.cpu_model = runtime::cpu_model();
  r.loss_curve = s.loss_curve;
  auto store = results::Store::open(db_path);
  store.record_pretrain(r);
  spdlog::info("pretrain: recorded {} (weights sha256 {}) in {}", r.encoder_name, r.weights_sha256.substr(0, 12),
               db_path);
}

}  // namespace hecto::pretrain
