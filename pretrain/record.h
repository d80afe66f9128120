#pragma once
// Writes a finished pretraining (recipe, corpus, loss curve) into the results database, keyed by
// the sha256 of the weights it produced: the same key every cell using them records.
#include <string>

#include "pretrain/pretrain.h"
#include "pretrain/recipe.h"

namespace hecto::pretrain {

void record_pretrain_run(const std::string& db_path, const PretrainConfig& config, const PretrainSummary& summary);

// "offline MLM-pretrained distilbert dim 256 x 4, 450 steps (14.2 min)"
std::string pretrained_encoder_label(const PretrainConfig& config, const PretrainSummary& summary);

}  // namespace hecto::pretrain
