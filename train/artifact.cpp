#include "train/artifact.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/sha256.h"
#include "model/safetensors.h"

namespace hecto::train {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json head_json(const model::HectoConfig& h) {
  std::vector<std::string> experts;
  for (auto e : h.experts) experts.push_back(model::to_string(e));
  return {{"input_dim", h.input_dim},         {"proj_dim", h.proj_dim}, {"gate_hidden", h.gate_hidden},
          {"expert_hidden", h.expert_hidden}, {"n_outputs", h.n_outputs}, {"regression", h.regression},
          {"experts", experts},               {"top_k", h.top_k},       {"temperature", h.temperature},
          {"lambda_ent", h.lambda_ent},       {"lambda_div", h.lambda_div}, {"pooling", model::to_string(h.pooling)}};
}

model::HectoConfig head_from_json(const json& j) {
  model::HectoConfig h;
  h.input_dim = j.at("input_dim");
  h.proj_dim = j.at("proj_dim");
  h.gate_hidden = j.at("gate_hidden");
  h.expert_hidden = j.at("expert_hidden");
  h.n_outputs = j.at("n_outputs");
  h.regression = j.at("regression");
  h.experts.clear();
  for (const auto& e : j.at("experts")) h.experts.push_back(model::expert_kind_from_string(e.get<std::string>()));
  h.top_k = j.at("top_k");
  h.temperature = j.at("temperature");
  h.lambda_ent = j.at("lambda_ent");
  h.lambda_div = j.at("lambda_div");
  // Artifacts written before the pooling option read [CLS], as every head then did.
  h.pooling = model::pooling_from_string(j.value("pooling", "cls"));
  return h;
}

int64_t directory_bytes(const fs::path& dir) {
  int64_t bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) bytes += static_cast<int64_t>(e.file_size());
  return bytes;
}

void copy_replacing(const fs::path& from, const fs::path& to) {
  fs::remove(to);
  fs::copy_file(from, to);
}

}  // namespace

results::Artifact save_artifact(const std::string& dir, const ArtifactInput& in) {
  const fs::path out(dir);
  const fs::path staging = out.string() + ".tmp";
  fs::remove_all(staging);
  fs::create_directories(staging);
  std::map<std::string, torch::Tensor> head;
  for (const auto& p : in.head->named_parameters()) head[p.key()] = p.value().detach().cpu().contiguous();
  model::save_safetensors((staging / "head.safetensors").string(), head, {{"format", "pt"}});
  json encoder;
  if (in.encoder_checkpoint.empty()) {
    model::save_pretrained(in.encoder, (staging / "encoder").string(), in.vocab_path);
    encoder = {{"dir", "encoder"}};
  } else {
    encoder = {{"checkpoint", fs::absolute(in.encoder_checkpoint).string()}, {"weights_sha256", in.encoder_sha256}};
  }
  copy_replacing(in.vocab_path, staging / "vocab.txt");
  const json meta{{"format", "hecto-artifact-1"},
                  {"config", in.config.to_json()},
                  {"head", head_json(in.head->config())},
                  {"encoder", encoder},
                  {"label_names", in.label_names}};
  std::ofstream(staging / "meta.json") << meta.dump(2) << "\n";
  // Replace the old artifact only once the new one is whole.
  fs::remove_all(out);
  fs::rename(staging, out);
  return {fs::absolute(out).string(), directory_bytes(out)};
}

LoadedArtifact load_artifact(const std::string& dir) {
  const fs::path root(dir);
  const fs::path meta_path = root / "meta.json";
  std::ifstream in(meta_path);
  if (!in) throw common::InputError({meta_path.string()}, "no artifact here", "a directory `hecto run` wrote with train.save_artifact = true");
  json meta;
  try {
    meta = json::parse(in);
  } catch (const json::exception& e) {
    throw common::InputError({meta_path.string()}, std::string("not valid JSON: ") + e.what(), "meta.json as hecto wrote it");
  }
  LoadedArtifact a;
  a.config = experiment::Config::from_json(meta.at("config"));
  a.label_names = meta.value("label_names", std::vector<std::string>{});
  a.tokenizer = text::Tokenizer::from_file((root / "vocab.txt").string());
  const json& enc = meta.at("encoder");
  if (enc.contains("dir")) {
    a.encoder = model::load_pretrained((root / enc.at("dir").get<std::string>()).string()).encoder;
  } else {
    const std::string checkpoint = enc.at("checkpoint");
    auto loaded = model::load_pretrained(checkpoint);
    if (loaded.weights_sha256 != enc.value("weights_sha256", ""))
      throw common::InputError({checkpoint}, "the frozen encoder's weights changed since the cell ran",
                               "the checkpoint with sha256 " + enc.value("weights_sha256", std::string("?")));
    a.encoder = loaded.encoder;
  }
  a.head = model::HectoHead(head_from_json(meta.at("head")));
  const auto tensors = model::load_safetensors((root / "head.safetensors").string());
  torch::NoGradGuard no_grad;
  for (auto& p : a.head->named_parameters()) {
    auto it = tensors.find(p.key());
    if (it == tensors.end() || it->second.sizes() != p.value().sizes())
      throw common::InputError({(root / "head.safetensors").string()}, "head tensor '" + p.key() + "' is missing or mis-shaped",
                               "the head meta.json describes");
    p.value().copy_(it->second);
  }
  a.encoder->eval();
  a.head->eval();
  return a;
}

}  // namespace hecto::train
