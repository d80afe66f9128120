#include "pretrain/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <fstream>
#include <mutex>

#include "common/error.h"
#include "model/safetensors.h"

namespace hecto::pretrain {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw common::RunError("cannot read " + path.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw common::InputError({path.string(), 0, 0}, std::string("not valid JSON: ") + e.what(),
                             "a file hecto pretrain wrote");
  }
}

void write_json(const fs::path& path, const json& j) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) throw common::RunError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

json state_json(const RunState& s) {
  return {{"step", s.step},
          {"minutes", s.minutes},
          {"initial_loss", std::isfinite(s.initial_loss) ? json(s.initial_loss) : json(nullptr)},
          {"loss_curve", s.loss_curve},
          {"window_sum", s.window_sum},
          {"window_n", s.window_n},
          {"tokens_seen", s.tokens_seen}};
}

RunState state_from_json(const json& j) {
  RunState s;
  s.step = j.at("step").get<int64_t>();
  s.minutes = j.at("minutes").get<double>();
  if (!j.at("initial_loss").is_null()) s.initial_loss = j.at("initial_loss").get<double>();
  s.loss_curve = j.at("loss_curve").get<std::vector<std::pair<int64_t, double>>>();
  s.window_sum = j.at("window_sum").get<double>();
  s.window_n = j.at("window_n").get<int64_t>();
  s.tokens_seen = j.at("tokens_seen").get<int64_t>();
  return s;
}

namespace {

model::StateDict combined_state(const model::Encoder& encoder, const model::StateDict& head) {
  auto state = encoder->hf_state();
  for (auto& [name, t] : head) state[name] = t;
  for (auto& [name, t] : state) t = t.detach().contiguous();
  return state;
}

torch::Tensor default_generator_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void set_default_generator_state(const torch::Tensor& state) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

}  // namespace

void save_checkpoint(const fs::path& out, const model::Encoder& encoder, const model::StateDict& head,
                     torch::optim::Optimizer& optimizer, at::Generator& mask_gen, const json& state) {
  const fs::path final_dir = out / kCheckpointDir;
  const fs::path tmp = out / "checkpoint.tmp";
  const fs::path old = out / "checkpoint.old";
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  model::save_safetensors((tmp / "model.safetensors").string(), combined_state(encoder, head), {{"format", "pt"}});
  torch::save(optimizer, (tmp / "optimizer.pt").string());
  torch::Tensor mask_state;
  {
    std::lock_guard<std::mutex> lock(mask_gen.mutex());
    mask_state = mask_gen.get_state();
  }
  std::vector<torch::Tensor> rng{default_generator_state(), mask_state};
  torch::save(rng, (tmp / "rng.pt").string());
  write_json(tmp / "state.json", state);
  fs::remove_all(old);
  if (fs::exists(final_dir)) fs::rename(final_dir, old);
  fs::rename(tmp, final_dir);
  fs::remove_all(old);
}

model::StateDict load_checkpoint(const fs::path& dir, model::Encoder& encoder, torch::optim::Optimizer& optimizer,
                                 at::Generator& mask_gen) {
  auto tensors = model::load_safetensors((dir / "model.safetensors").string());
  encoder->load_state(tensors, (dir / "model.safetensors").string());
  torch::load(optimizer, (dir / "optimizer.pt").string());
  std::vector<torch::Tensor> rng;
  torch::load(rng, (dir / "rng.pt").string());
  if (rng.size() != 2) throw common::RunError("checkpoint " + dir.string() + ": rng.pt holds no generator states");
  set_default_generator_state(rng[0]);
  {
    std::lock_guard<std::mutex> lock(mask_gen.mutex());
    mask_gen.set_state(rng[1]);
  }
  return tensors;
}

void write_output(const fs::path& out, const model::Encoder& encoder, const model::StateDict& head,
                  const std::string& vocab_path, const json& meta) {
  const fs::path staging = out / "staging.tmp";
  fs::remove_all(staging);
  fs::create_directories(staging);
  model::save_pretrained(encoder, staging.string(), vocab_path);
  auto tensors = model::load_safetensors((staging / "model.safetensors").string());
  for (auto& [name, t] : head) tensors[name] = t.detach().contiguous();
  model::save_safetensors((staging / "model.safetensors").string(), tensors, {{"format", "pt"}});
  fs::remove(out / "pretrain.json");
  for (const auto& entry : fs::directory_iterator(staging)) fs::rename(entry.path(), out / entry.path().filename());
  fs::remove_all(staging);
  write_json(out / "pretrain.json", meta);
}

PretrainSummary cached_summary(const fs::path& out, const json& meta) {
  PretrainSummary s;
  s.output = out.string();
  s.cached = true;
  s.complete = true;
  s.stop_reason = "cached";
  s.steps_done = s.start_step = meta.at("steps_done").get<int64_t>();
  s.minutes = meta.at("minutes").get<double>();
  // null when no masked-LM step ran (word vectors only)
  const auto loss = [&](const char* key) {
    return meta.contains(key) && meta[key].is_number() ? meta[key].get<double>() : std::nan("");
  };
  s.initial_loss = loss("initial_loss");
  s.final_loss = loss("final_loss");
  s.tokens_per_second = meta.value("tokens_per_second", 0.0);
  s.loss_curve = meta.at("loss_curve").get<std::vector<std::pair<int64_t, double>>>();
  s.corpus_sha256 = meta.at("corpus").at("sha256").get<std::string>();
  s.text_tokens = meta.at("corpus").at("text_tokens").get<int64_t>();
  s.sequences = meta.at("corpus").at("sequences").get<int64_t>();
  return s;
}

}  // namespace hecto::pretrain
