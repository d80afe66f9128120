#pragma once
// What a pretraining run leaves on disk and reads back:
//   <output>/checkpoint/  model.safetensors, optimizer.pt, rng.pt, state.json: the resume point,
//                         replaced atomically (a half-written checkpoint never replaces a good one);
//   <output>/             the Hugging Face directory (config.json, vocab.txt, model.safetensors
//                         with the objective's head tensors) and pretrain.json, written last, so
//                         a directory holding pretrain.json is always whole.
#include <ATen/core/Generator.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "model/encoder.h"
#include "pretrain/pretrain.h"

namespace hecto::pretrain {

inline constexpr const char* kCheckpointDir = "checkpoint";

// The run so far, as a checkpoint records it.
struct RunState {
  int64_t step = 0;
  double minutes = 0;
  double initial_loss = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<int64_t, double>> loss_curve;
  double window_sum = 0;  // the loss-curve window still open, so a resumed curve matches an unbroken one
  int64_t window_n = 0;
  int64_t tokens_seen = 0;
};
nlohmann::json state_json(const RunState& s);
RunState state_from_json(const nlohmann::json& j);

nlohmann::json read_json(const std::filesystem::path& path);
void write_json(const std::filesystem::path& path, const nlohmann::json& j);  // atomically

// `head` is the objective's head (pretrain/objective.h) under its Hugging Face names.
void save_checkpoint(const std::filesystem::path& out, const model::Encoder& encoder, const model::StateDict& head,
                     torch::optim::Optimizer& optimizer, at::Generator& mask_generator, const nlohmann::json& state);
// Loads the encoder, the optimiser and the generators; returns every tensor of the checkpoint,
// from which the objective's head takes its own.
model::StateDict load_checkpoint(const std::filesystem::path& dir, model::Encoder& encoder,
                                 torch::optim::Optimizer& optimizer, at::Generator& mask_generator);

void write_output(const std::filesystem::path& out, const model::Encoder& encoder, const model::StateDict& head,
                  const std::string& vocab_path, const nlohmann::json& meta);
// The summary of a finished run, from its pretrain.json.
PretrainSummary cached_summary(const std::filesystem::path& out, const nlohmann::json& meta);

}  // namespace hecto::pretrain
