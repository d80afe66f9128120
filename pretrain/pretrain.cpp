#include "pretrain/pretrain.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>

#include "common/error.h"
#include "common/sha256.h"
#include "model/encoder.h"
#include "model/mlm.h"
#include "model/safetensors.h"
#include "text/tokenizer.h"
#include "pretrain/corpus.h"
#include "tasks/task.h"

namespace hecto::pretrain {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kCheckpointDir = "checkpoint";

// SIGINT/SIGTERM while pretraining: the first asks the loop to checkpoint and stop after the
// current step, a second exits at once. Scoped: the previous handlers come back afterwards.
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int sig) {
  if (g_stop_signal != 0) _exit(128 + sig);
  g_stop_signal = sig;
  const char msg[] = "\nhecto pretrain: saving a checkpoint after this step (signal again to stop now)\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
}

class ScopedStopSignals {
 public:
  explicit ScopedStopSignals(bool active) : active_(active) {
    if (!active_) return;
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~ScopedStopSignals() {
    if (!active_) return;
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  ScopedStopSignals(const ScopedStopSignals&) = delete;
  ScopedStopSignals& operator=(const ScopedStopSignals&) = delete;

 private:
  bool active_;
  struct sigaction old_int_ {}, old_term_ {};
};

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw common::RunError("cannot read " + path.string());
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw common::InputError({path.string(), 0, 0}, std::string("not valid JSON: ") + e.what(), "a file hecto pretrain wrote");
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

// Complete when either budget of the recipe is spent.
bool budget_spent(const PretrainConfig& c, int64_t steps, double minutes) {
  return (c.max_steps > 0 && steps >= c.max_steps) || (c.max_minutes > 0 && minutes >= c.max_minutes);
}

model::EncoderConfig encoder_config(const PretrainConfig& c, int64_t vocab_size, int32_t pad_id) {
  model::EncoderConfig e;
  e.model_type = "distilbert";
  e.dim = c.dim;
  e.n_layers = c.n_layers;
  e.n_heads = c.n_heads;
  e.hidden_dim = c.hidden_dim;
  e.vocab_size = static_cast<int>(vocab_size);
  e.max_position_embeddings = c.max_position_embeddings;
  e.dropout = c.dropout;
  e.attention_dropout = c.attention_dropout;
  e.pad_token_id = pad_id;
  return e;
}

// What a checkpoint or an output directory records about the run so far.
struct RunState {
  int64_t step = 0;
  double minutes = 0;
  double initial_loss = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::pair<int64_t, double>> loss_curve;
  double window_sum = 0;  // the loss-curve window still open, so a resumed curve matches an unbroken one
  int64_t window_n = 0;
  int64_t tokens_seen = 0;
};

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

model::StateDict combined_state(const model::Encoder& encoder, const model::MlmHead& head) {
  auto state = encoder->hf_state();
  for (auto& [name, t] : head->hf_state()) state[name] = t;
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

// Writes dir/checkpoint atomically: a half-written checkpoint never replaces a good one.
void save_checkpoint(const fs::path& out, const model::Encoder& encoder, const model::MlmHead& head,
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

void load_checkpoint(const fs::path& dir, model::Encoder& encoder, model::MlmHead& head,
                     torch::optim::Optimizer& optimizer, at::Generator& mask_gen) {
  const auto tensors = model::load_safetensors((dir / "model.safetensors").string());
  encoder->load_state(tensors, (dir / "model.safetensors").string());
  head->load_state(tensors, (dir / "model.safetensors").string());
  torch::load(optimizer, (dir / "optimizer.pt").string());
  std::vector<torch::Tensor> rng;
  torch::load(rng, (dir / "rng.pt").string());
  if (rng.size() != 2) throw common::RunError("checkpoint " + dir.string() + ": rng.pt holds no generator states");
  set_default_generator_state(rng[0]);
  std::lock_guard<std::mutex> lock(mask_gen.mutex());
  mask_gen.set_state(rng[1]);
}

// The Hugging Face directory: save_pretrained's files, the MLM head added to model.safetensors
// (under DistilBertForMaskedLM's names), and pretrain.json written last so that a directory
// with pretrain.json is always whole.
void write_output(const fs::path& out, const model::Encoder& encoder, const model::MlmHead& head,
                  const std::string& vocab_path, const json& meta) {
  const fs::path staging = out / "staging.tmp";
  fs::remove_all(staging);
  fs::create_directories(staging);
  model::save_pretrained(encoder, staging.string(), vocab_path);
  auto tensors = model::load_safetensors((staging / "model.safetensors").string());
  for (auto& [name, t] : head->hf_state()) tensors[name] = t.detach().contiguous();
  model::save_safetensors((staging / "model.safetensors").string(), tensors, {{"format", "pt"}});
  fs::remove(out / "pretrain.json");
  for (const auto& entry : fs::directory_iterator(staging)) fs::rename(entry.path(), out / entry.path().filename());
  fs::remove_all(staging);
  write_json(out / "pretrain.json", meta);
}

std::string format_duration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60) : fmt::format("{}m{:02}s", s / 60, s % 60);
}

PretrainSummary cached_summary(const fs::path& out, const json& meta) {
  PretrainSummary s;
  s.output = out.string();
  s.cached = true;
  s.complete = true;
  s.stop_reason = "cached";
  s.steps_done = s.start_step = meta.at("steps_done").get<int64_t>();
  s.minutes = meta.at("minutes").get<double>();
  s.initial_loss = meta.value("initial_loss", 0.0);
  s.final_loss = meta.value("final_loss", 0.0);
  s.tokens_per_second = meta.value("tokens_per_second", 0.0);
  s.loss_curve = meta.at("loss_curve").get<std::vector<std::pair<int64_t, double>>>();
  s.corpus_sha256 = meta.at("corpus").at("sha256").get<std::string>();
  s.text_tokens = meta.at("corpus").at("text_tokens").get<int64_t>();
  s.sequences = meta.at("corpus").at("sequences").get<int64_t>();
  return s;
}

}  // namespace

double pretrain_lr(const PretrainConfig& c, int64_t step) {
  if (c.warmup_steps > 0 && step < c.warmup_steps) return c.lr * static_cast<double>(step + 1) / c.warmup_steps;
  if (c.schedule == experiment::Schedule::Linear && c.max_steps > c.warmup_steps) {
    const double left = static_cast<double>(c.max_steps - step) / static_cast<double>(c.max_steps - c.warmup_steps);
    return c.lr * std::max(0.0, left);
  }
  return c.lr;
}

PretrainSummary pretrain(const PretrainConfig& config, const PretrainOptions& options) {
  const fs::path out = options.output.empty() ? fs::path(config.resolved_output()) : fs::path(options.output);
  const fs::path ckpt = out / kCheckpointDir;
  const std::string recipe_hash = config.recipe_hash();

  // 1. Same recipe already finished: nothing to do (make reproduce relies on this).
  if (fs::exists(out / "pretrain.json") && fs::exists(out / "model.safetensors") && !options.resume) {
    const auto meta = read_json(out / "pretrain.json");
    if (meta.value("recipe_hash", "") == recipe_hash &&
        budget_spent(config, meta.at("steps_done").get<int64_t>(), meta.at("minutes").get<double>())) {
      spdlog::info("pretrain: {} already holds this recipe's finished encoder ({} steps); cached", out.string(),
                   meta.at("steps_done").get<int64_t>());
      return cached_summary(out, meta);
    }
  }

  // 2. A checkpoint of this recipe is resumed; one of another recipe is never overwritten.
  std::optional<json> resume_state;
  if (fs::exists(ckpt / "state.json")) {
    auto st = read_json(ckpt / "state.json");
    if (st.value("recipe_hash", "") != recipe_hash)
      throw common::InputError({(ckpt / "state.json").string(), 0, 0},
                               "the output directory holds a checkpoint of a different pretraining recipe",
                               "the same recipe, another --output, or removing " + ckpt.string());
    resume_state = std::move(st);
  } else if (options.resume) {
    throw common::InputError({}, "--resume: no checkpoint in " + ckpt.string(), "a directory an earlier run left");
  }

  // 3. Corpus: training splits only, tokenized and packed.
  const std::string data_dir =
      options.vocab_path.empty() || options.texts.empty() ? tasks::resolve_data_dir(options.data_dir) : "";
  const std::string vocab_path = options.vocab_path.empty()
                                     ? tasks::default_vocab_path(data_dir)
                                     : options.vocab_path;
  const auto tokenizer = text::Tokenizer::from_file(vocab_path);
  CorpusTexts texts;
  if (options.texts.empty()) {
    texts = collect_training_texts(config.tasks, data_dir);
  } else {
    texts.texts = options.texts;
    texts.notes.push_back("texts given by the caller: " + std::to_string(options.texts.size()));
  }
  const auto corpus_start = std::chrono::steady_clock::now();
  const auto corpus = build_corpus(texts.texts, tokenizer, config.max_len);
  spdlog::info("pretrain: corpus {} texts, {} tokens, {} sequences of {} (sha256 {}), built in {:.1f}s", corpus.texts,
               corpus.text_tokens, corpus.sequences(), config.max_len, corpus.sha256.substr(0, 12),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - corpus_start).count());
  for (const auto& n : texts.notes) spdlog::debug("pretrain: {}", n);
  if (corpus.sequences() == 0) throw common::InputError({config.source, 0, 0}, "the pretraining corpus is empty", "tasks with training text");
  if (resume_state && resume_state->value("corpus_sha256", "") != corpus.sha256)
    throw common::InputError({(ckpt / "state.json").string(), 0, 0},
                             "the corpus changed since the checkpoint was written (data or vocabulary differ)",
                             "the same data, or removing " + ckpt.string());

  // 4. Model, head, optimizer: all seeded.
  torch::manual_seed(config.seed);
  auto mask_gen = at::make_generator<at::CPUGeneratorImpl>(config.seed + 1);
  const int64_t vocab_size = static_cast<int64_t>(tokenizer.vocab_size());
  model::Encoder encoder(encoder_config(config, vocab_size, tokenizer.pad_id()));
  encoder->init_weights(config.seed);
  model::MlmHead head(config.dim, vocab_size, encoder->config().layer_norm_eps);
  head->init_weights(config.seed + 2);
  const auto word_embeddings = model::word_embedding_parameter(encoder);

  // Weight decay on matrices only (not biases or LayerNorm), as BERT and Hugging Face do.
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : encoder->parameters()) (p.dim() >= 2 ? decay : no_decay).push_back(p);
  for (const auto& p : head->parameters()) (p.dim() >= 2 ? decay : no_decay).push_back(p);
  std::vector<torch::Tensor> all_params = decay;
  all_params.insert(all_params.end(), no_decay.begin(), no_decay.end());
  // RoBERTa's betas/eps: steadier than (0.9, 0.999) at this learning rate with few steps.
  auto adamw = [&](double wd) { return torch::optim::AdamWOptions(config.lr).betas({0.9, 0.98}).eps(1e-6).weight_decay(wd); };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(adamw(config.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(adamw(0.0)));
  torch::optim::AdamW optimizer(std::move(groups), adamw(config.weight_decay));

  RunState run;
  PretrainSummary summary;
  summary.output = out.string();
  summary.corpus_sha256 = corpus.sha256;
  summary.text_tokens = corpus.text_tokens;
  summary.sequences = corpus.sequences();
  if (resume_state) {
    load_checkpoint(ckpt, encoder, head, optimizer, mask_gen);
    run = state_from_json(resume_state->at("run"));
    summary.resumed = true;
    spdlog::info("pretrain: resuming {} at step {} ({:.1f} min done)", ckpt.string(), run.step, run.minutes);
  }
  summary.start_step = run.step;

  fs::create_directories(out);
  auto state_for_checkpoint = [&] {
    return json{{"recipe_hash", recipe_hash}, {"corpus_sha256", corpus.sha256}, {"recipe", config.recipe_json()},
                {"run", state_json(run)}};
  };

  // 5. Training. The batch order is a pure function of (seed, step): a fresh permutation per
  // pass over the corpus, so a resumed run sees exactly the batches the uninterrupted one would.
  const int64_t n_seq = corpus.sequences();
  const int64_t batch = std::min<int64_t>(config.batch_size, n_seq);
  const int64_t steps_per_pass = std::max<int64_t>(1, n_seq / batch);
  int64_t perm_pass = -1;
  torch::Tensor perm;
  const int64_t pad = tokenizer.pad_id(), cls = tokenizer.cls_id(), sep = tokenizer.sep_id(), mask_id = tokenizer.mask_id();

  int64_t target_steps = config.max_steps;
  if (options.max_steps > 0) target_steps = target_steps > 0 ? std::min(target_steps, options.max_steps) : options.max_steps;

  encoder->train();
  head->train();
  const ScopedStopSignals signals(options.handle_signals);
  const auto start = std::chrono::steady_clock::now();
  const double minutes_before = run.minutes;
  int64_t tokens_this_run = 0;
  double smoothed = std::numeric_limits<double>::quiet_NaN();
  double last_loss = std::numeric_limits<double>::quiet_NaN();
  auto elapsed_s = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  while (true) {
    // Stop checks come first so that a finished budget runs no extra step.
    const double this_run_min = elapsed_s() / 60.0;
    run.minutes = minutes_before + this_run_min;
    if (config.max_steps > 0 && run.step >= config.max_steps) { summary.stop_reason = "max_steps"; break; }
    if (config.max_minutes > 0 && run.minutes >= config.max_minutes) { summary.stop_reason = "max_minutes"; break; }
    if (options.max_steps > 0 && run.step >= options.max_steps) { summary.stop_reason = "--max-steps"; break; }
    if (options.max_minutes > 0 && this_run_min >= options.max_minutes) { summary.stop_reason = "--max-minutes"; break; }
    if (g_stop_signal != 0 || (options.should_stop && options.should_stop(run.step))) {
      summary.stop_reason = "signal";
      summary.interrupted = true;
      break;
    }

    const int64_t pass = run.step / steps_per_pass;
    if (pass != perm_pass) {
      auto g = at::make_generator<at::CPUGeneratorImpl>(config.seed * 1000003 + static_cast<uint64_t>(pass) + 17);
      perm = torch::randperm(n_seq, g, torch::TensorOptions().dtype(torch::kLong));
      perm_pass = pass;
    }
    const int64_t k = run.step % steps_per_pass;
    const auto idx = perm.slice(0, k * batch, k * batch + batch);
    const auto lengths = corpus.length.index_select(0, idx);
    const int64_t t_max = lengths.max().item<int64_t>();
    const auto ids = corpus.ids.index_select(0, idx).slice(1, 0, t_max);
    const auto attention = (torch::arange(t_max).unsqueeze(0) < lengths.unsqueeze(1)).to(torch::kLong);
    const auto never_mask = (ids == cls).logical_or(ids == sep).logical_or(ids == pad);

    const auto masked = model::mask_tokens(ids, never_mask, vocab_size, mask_id, mask_gen, config.mask_prob);
    const auto chosen = masked.labels != model::kIgnoreLabel;
    const double lr = pretrain_lr(config, run.step);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

    optimizer.zero_grad();
    double loss_value = std::numeric_limits<double>::quiet_NaN();
    if (chosen.any().item<bool>()) {
      const auto hidden = encoder->forward(masked.inputs, attention);
      const auto logits = head->forward(hidden.index({chosen}), word_embeddings);  // only chosen positions: the
      const auto loss = torch::nn::functional::cross_entropy(logits, masked.labels.index({chosen}));  // vocab product is the costliest part
      loss_value = loss.item<double>();
      if (!std::isfinite(loss_value))
        throw common::RunError(fmt::format("pretrain: the loss became {} at step {}", loss_value, run.step + 1));
      loss.backward();
      if (config.grad_clip > 0) torch::nn::utils::clip_grad_norm_(all_params, config.grad_clip);
      optimizer.step();
    }
    ++run.step;
    const int64_t batch_tokens = lengths.sum().item<int64_t>();
    tokens_this_run += batch_tokens;
    run.tokens_seen += batch_tokens;

    PretrainProgress progress;
    if (std::isfinite(loss_value)) {
      if (!std::isfinite(run.initial_loss)) run.initial_loss = loss_value;
      last_loss = loss_value;
      smoothed = std::isfinite(smoothed) ? 0.95 * smoothed + 0.05 * loss_value : loss_value;
      run.window_sum += loss_value;
      ++run.window_n;
    }
    if (run.step % config.log_every_steps == 0 && run.window_n > 0) {
      run.loss_curve.emplace_back(run.step, run.window_sum / run.window_n);
      run.window_sum = 0;
      run.window_n = 0;
      progress.logged = true;
    }
    if (run.step % config.checkpoint_every_steps == 0) save_checkpoint(out, encoder, head, optimizer, mask_gen, state_for_checkpoint());

    if (options.on_progress) {
      const double el = elapsed_s();
      progress.step = run.step;
      progress.target_steps = target_steps;
      progress.loss = smoothed;
      progress.elapsed_seconds = el;
      progress.tokens_per_second = el > 0 ? tokens_this_run / el : 0;
      const double per_step = el / static_cast<double>(run.step - summary.start_step);
      double eta = -1;
      auto consider = [&](double s) { eta = eta < 0 ? s : std::min(eta, s); };
      if (target_steps > 0) consider(per_step * static_cast<double>(std::max<int64_t>(0, target_steps - run.step)));
      if (config.max_minutes > 0) consider(std::max(0.0, config.max_minutes * 60 - (minutes_before * 60 + el)));
      if (options.max_minutes > 0) consider(std::max(0.0, options.max_minutes * 60 - el));
      progress.eta_seconds = eta;
      options.on_progress(progress);
    }
  }
  // The unfinished window still counts as the reported curve's last point (not the checkpoint's).
  auto curve = run.loss_curve;
  if (run.window_n > 0) curve.emplace_back(run.step, run.window_sum / run.window_n);

  const double seconds = elapsed_s();
  summary.steps_done = run.step;
  summary.minutes = run.minutes;
  summary.complete = budget_spent(config, run.step, run.minutes);
  summary.initial_loss = run.initial_loss;
  summary.final_loss = curve.empty() ? last_loss : curve.back().second;
  summary.tokens_per_second = seconds > 0 ? tokens_this_run / seconds : 0;
  summary.loss_curve = curve;

  save_checkpoint(out, encoder, head, optimizer, mask_gen, state_for_checkpoint());
  json meta{{"format", "hecto-pretrain-1"},
            {"recipe", config.recipe_json()},
            {"recipe_hash", recipe_hash},
            {"config", config.to_json()},
            {"encoder", encoder->config().describe()},
            {"parameters", encoder->config().parameter_count()},
            {"corpus",
             {{"sha256", corpus.sha256},
              {"sha256_of", "packed sequences as little-endian int32, row-major, padding included"},
              {"texts", corpus.texts},
              {"text_tokens", corpus.text_tokens},
              {"sequences", corpus.sequences()},
              {"max_len", config.max_len},
              {"source_files", texts.source_files},
              {"notes", texts.notes},
              {"vocab_sha256", tokenizer.vocab_sha256()}}},
            {"steps_done", run.step},
            {"tokens_seen", run.tokens_seen},
            {"minutes", run.minutes},
            {"complete", summary.complete},
            {"stop_reason", summary.stop_reason},
            {"initial_loss", std::isfinite(summary.initial_loss) ? json(summary.initial_loss) : json(nullptr)},
            {"final_loss", std::isfinite(summary.final_loss) ? json(summary.final_loss) : json(nullptr)},
            {"loss_curve", curve},
            {"tokens_per_second", summary.tokens_per_second},
            {"threads", torch::get_num_threads()}};
  write_output(out, encoder, head, vocab_path, meta);
  spdlog::info("pretrain: {} at step {} ({}), loss {:.4f} -> {:.4f}, {:.0f} tokens/s, {:.1f} min in all; wrote {}",
               summary.complete ? "finished" : "stopped", run.step, summary.stop_reason, summary.initial_loss,
               summary.final_loss, summary.tokens_per_second, run.minutes, out.string());
  return summary;
}

std::function<void(const PretrainProgress&)> make_pretrain_progress_printer(bool terminal) {
  return [terminal](const PretrainProgress& p) {
    const std::string steps = p.target_steps > 0 ? fmt::format("{}/{}", p.step, p.target_steps) : std::to_string(p.step);
    const std::string eta = p.eta_seconds >= 0 ? format_duration(p.eta_seconds) : "?";
    const std::string line =
        fmt::format("pretrain step {} loss {:.4f} {:.0f} tok/s ETA {}", steps, p.loss, p.tokens_per_second, eta);
    if (terminal) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      std::fflush(stderr);
    } else if (p.logged) {
      spdlog::info("{}", line);
    }
  };
}

}  // namespace hecto::pretrain
