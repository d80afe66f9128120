#include "pretrain/pretrain.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>

#include "common/error.h"
#include "common/interrupt.h"
#include "model/encoder.h"
#include "model/mlm.h"
#include "pretrain/checkpoint.h"
#include "pretrain/cls_embedding.h"
#include "pretrain/corpus.h"
#include "pretrain/objective.h"
#include "pretrain/word_vectors.h"
#include "tasks/task.h"
#include "text/tokenizer.h"
#include "train/optimiser.h"

namespace hecto::pretrain {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// ---- was this recipe already run? ----

bool budget_spent(const PretrainConfig& c, int64_t steps, double minutes) {
  if (c.max_steps == 0 && c.max_minutes == 0) return true;  // word vectors only: no masked-LM steps
  return (c.max_steps > 0 && steps >= c.max_steps) || (c.max_minutes > 0 && minutes >= c.max_minutes);
}

// The same recipe already finished in `out`: nothing to do (make reproduce relies on this).
std::optional<PretrainSummary> finished_run(const fs::path& out, const PretrainConfig& config,
                                            const PretrainOptions& options) {
  if (options.resume || !fs::exists(out / "pretrain.json") || !fs::exists(out / "model.safetensors")) return {};
  const auto meta = read_json(out / "pretrain.json");
  if (meta.value("recipe_hash", "") != config.recipe_hash() ||
      !budget_spent(config, meta.at("steps_done").get<int64_t>(), meta.at("minutes").get<double>()))
    return {};
  spdlog::info("pretrain: {} already holds this recipe's finished encoder ({} steps); cached", out.string(),
               meta.at("steps_done").get<int64_t>());
  return cached_summary(out, meta);
}

// A checkpoint of this recipe is resumed; one of another recipe is never overwritten.
std::optional<json> checkpoint_to_resume(const fs::path& out, const std::string& recipe_hash,
                                         const PretrainOptions& options) {
  const fs::path ckpt = out / kCheckpointDir;
  if (!fs::exists(ckpt / "state.json")) {
    if (options.resume)
      throw common::InputError({}, "--resume: no checkpoint in " + ckpt.string(), "a directory an earlier run left");
    return {};
  }
  auto state = read_json(ckpt / "state.json");
  if (state.value("recipe_hash", "") != recipe_hash)
    throw common::InputError({(ckpt / "state.json").string(), 0, 0},
                             "the output directory holds a checkpoint of a different pretraining recipe",
                             "the same recipe, another --output, or removing " + ckpt.string());
  return state;
}

// ---- corpus: training splits only, tokenised and packed ----

struct Corpus {
  std::string vocab_path;
  int64_t vocab_size = 0;
  int64_t pad = 0, cls = 0, sep = 0, mask = 0;
  CorpusTexts texts;
  std::vector<std::vector<int32_t>> ids;  // each text's WordPiece ids (the word vectors read these)
  PackedCorpus packed;
  text::Tokenizer tokenizer;
  Vocabulary vocab() const { return {vocab_size, pad, cls, sep, mask}; }
};

Corpus prepare_corpus(const PretrainConfig& config, const PretrainOptions& options) {
  Corpus c;
  const bool need_data_dir = options.vocab_path.empty() || options.texts.empty();
  const std::string data_dir = need_data_dir ? tasks::resolve_data_dir(options.data_dir) : "";
  c.vocab_path = options.vocab_path.empty() ? tasks::default_vocab_path(data_dir) : options.vocab_path;
  const auto tokenizer = text::Tokenizer::from_file(c.vocab_path);
  c.vocab_size = static_cast<int64_t>(tokenizer.vocab_size());
  c.pad = tokenizer.pad_id();
  c.cls = tokenizer.cls_id();
  c.sep = tokenizer.sep_id();
  c.mask = tokenizer.mask_id();
  if (options.texts.empty()) {
    c.texts = collect_training_texts(config.tasks, data_dir);
    repeat_texts(c.texts, config.task_text_repeat);
    add_general_text(c.texts, config.extra_text, data_dir);
  } else {
    c.texts.texts = options.texts;
    c.texts.notes.push_back("texts given by the caller: " + std::to_string(options.texts.size()));
  }
  const auto start = Clock::now();
  c.ids = tokenize_texts(c.texts.texts, tokenizer);
  c.packed = pack_corpus(c.ids, config.max_len, tokenizer.cls_id(), tokenizer.sep_id(), tokenizer.pad_id());
  c.tokenizer = tokenizer;
  spdlog::info("pretrain: corpus {} texts, {} tokens, {} sequences of {} (sha256 {}), built in {:.1f}s", c.packed.texts,
               c.packed.text_tokens, c.packed.sequences(), config.max_len, c.packed.sha256.substr(0, 12),
               std::chrono::duration<double>(Clock::now() - start).count());
  for (const auto& n : c.texts.notes) spdlog::debug("pretrain: {}", n);
  if (c.packed.sequences() == 0)
    throw common::InputError({config.source, 0, 0}, "the pretraining corpus is empty", "tasks with training text");
  return c;
}

// ---- model, head and optimiser: all seeded ----

model::EncoderConfig encoder_config(const PretrainConfig& c, const Corpus& corpus) {
  model::EncoderConfig e;
  e.model_type = "distilbert";
  e.dim = c.dim;
  e.n_layers = c.n_layers;
  e.n_heads = c.n_heads;
  e.hidden_dim = c.hidden_dim;
  e.vocab_size = static_cast<int>(corpus.vocab_size);
  e.max_position_embeddings = c.max_position_embeddings;
  e.dropout = c.dropout;
  e.attention_dropout = c.attention_dropout;
  e.pad_token_id = static_cast<int>(corpus.pad);
  return e;
}

struct Model {
  model::Encoder encoder{nullptr};
  std::unique_ptr<Objective> objective;  // its head and its loss (pretrain/objective.h)
  torch::Tensor word_embeddings;         // the encoder's own parameter (the word vectors go here)
  std::unique_ptr<train::Optimiser> optimiser;
  at::Generator mask_generator;
};

train::OptimiserSettings optimiser_settings(const PretrainConfig& c) {
  train::OptimiserSettings s;
  // RoBERTa's betas/eps: steadier than (0.9, 0.999) at this learning rate with few steps.
  s.beta2 = 0.98;
  s.eps = 1e-6;
  s.warmup_steps = c.warmup_steps;
  s.total_steps = c.max_steps;
  s.schedule = c.schedule;
  s.grad_clip = c.grad_clip;
  return s;
}

// The parameters the optimiser moves: the encoder's (without its embeddings when the recipe
// keeps them as initialised) and the objective's head.
std::vector<torch::Tensor> trained_parameters(const Model& m, const PretrainConfig& config) {
  std::vector<torch::Tensor> params;
  for (const auto& item : m.encoder->named_parameters(/*recurse=*/true)) {
    if (!config.train_embeddings && item.key().rfind("embeddings.", 0) == 0) {
      item.value().set_requires_grad(false);
      continue;
    }
    params.push_back(item.value());
  }
  for (const auto& p : m.objective->head_parameters()) params.push_back(p);
  return params;
}

Model build_model(const PretrainConfig& config, const Corpus& corpus) {
  torch::manual_seed(config.seed);
  Model m;
  m.mask_generator = at::make_generator<at::CPUGeneratorImpl>(config.seed + 1);
  m.encoder = model::Encoder(encoder_config(config, corpus));
  m.encoder->init_weights(config.seed);
  m.objective = make_objective(config, m.encoder, corpus.vocab(), corpus.packed.ids);
  m.word_embeddings = model::word_embedding_parameter(m.encoder);
  m.optimiser = std::make_unique<train::Optimiser>(
      train::decay_groups(trained_parameters(m, config), config.lr, config.weight_decay), optimiser_settings(config));
  return m;
}

// The recipe's starting encoder (init_from) replaces the random initialisation, word vectors and
// [CLS] included.
void start_from_encoder(Model& m, const std::string& dir) {
  const auto start = model::load_pretrained(dir);
  torch::NoGradGuard no_grad;
  m.encoder->load_state(start.encoder->hf_state(), dir);
  spdlog::info("pretrain: starting from {} (weights sha256 {})", dir, start.weights_sha256.substr(0, 12));
}

// Skip-gram vectors learnt on the corpus become the word embeddings (pretrain/word_vectors.h).
// Returns the minutes it took, which count against the recipe's budget.
double initialise_word_embeddings(Model& m, const Corpus& corpus, const PretrainConfig& c, const fs::path& out) {
  WordVectorRecipe r;
  r.dim = c.dim;
  r.epochs = c.sgns_epochs;
  r.window = c.sgns_window;
  r.negatives = c.sgns_negatives;
  r.seed = c.seed;
  const auto wv = train_word_vectors(corpus.ids, corpus.tokenizer, r, (out / "word-vectors.tmp").string());
  fs::remove_all(out / "word-vectors.tmp");
  copy_into_embeddings(wv, m.word_embeddings, c.sgns_rms);
  return wv.seconds / 60.0;
}

// A fresh run's starting point: the encoder `init_from` names, or word vectors and [CLS] set
// here. Returns the minutes it took, which count against the recipe's budget.
double initialise(Model& m, const Corpus& corpus, const PretrainConfig& c, const fs::path& out) {
  if (!c.init_from.empty()) {
    start_from_encoder(m, c.init_from);
    return 0;
  }
  double minutes = 0;
  if (c.embedding_init == "sgns") minutes += initialise_word_embeddings(m, corpus, c, out);
  if (c.cls_embedding == "empty") empty_cls_embedding(m.encoder, m.word_embeddings, corpus.cls);
  return minutes;
}

// ---- one step ----

// The rows of step `step`: a fresh permutation per pass over the corpus, a pure function of
// (seed, pass), so a resumed run sees exactly the batches the uninterrupted one would.
class BatchOrder {
 public:
  BatchOrder(int64_t sequences, int64_t batch, uint64_t seed)
      : n_(sequences), batch_(std::min(batch, sequences)), per_pass_(std::max<int64_t>(1, n_ / batch_)), seed_(seed) {}

  torch::Tensor rows(int64_t step) {
    const int64_t pass = step / per_pass_;
    if (pass != pass_) {
      order_.resize(static_cast<size_t>(n_));
      std::iota(order_.begin(), order_.end(), 0);
      auto rng = train::pass_rng(seed_, static_cast<uint64_t>(pass));
      std::shuffle(order_.begin(), order_.end(), rng);
      pass_ = pass;
    }
    const int64_t k = step % per_pass_;
    return torch::tensor(std::vector<int64_t>(order_.begin() + k * batch_, order_.begin() + (k + 1) * batch_));
  }

 private:
  int64_t n_, batch_, per_pass_;
  uint64_t seed_;
  int64_t pass_ = -1;
  std::vector<int64_t> order_;
};

PretrainBatch batch_of(const Corpus& corpus, const torch::Tensor& rows) {
  const auto lengths = corpus.packed.length.index_select(0, rows);
  const int64_t t_max = lengths.max().item<int64_t>();
  PretrainBatch b;
  b.ids = corpus.packed.ids.index_select(0, rows).slice(1, 0, t_max).to(torch::kLong);
  b.attention = (torch::arange(t_max).unsqueeze(0) < lengths.unsqueeze(1)).to(torch::kLong);
  b.special = (b.ids == corpus.cls).logical_or(b.ids == corpus.sep).logical_or(b.ids == corpus.pad);
  return b;
}

// ---- stopping and reporting ----

// Why this run stops now ("" = go on). Checked before each step, so a spent budget runs no extra step.
std::string stop_reason(const PretrainConfig& config, const PretrainOptions& options, const RunState& run,
                        double this_run_minutes) {
  if (config.max_steps == 0 && config.max_minutes == 0) return "word_vectors_only";
  if (config.max_steps > 0 && run.step >= config.max_steps) return "max_steps";
  if (config.max_minutes > 0 && run.minutes >= config.max_minutes) return "max_minutes";
  if (options.max_steps > 0 && run.step >= options.max_steps) return "--max-steps";
  if (options.max_minutes > 0 && this_run_minutes >= options.max_minutes) return "--max-minutes";
  if (common::interrupt_requested() || (options.should_stop && options.should_stop(run.step))) return "signal";
  return "";
}

std::string format_duration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60) : fmt::format("{}m{:02}s", s / 60, s % 60);
}

json output_meta(const PretrainConfig& config, const Corpus& corpus, const Model& m, const RunState& run,
                 const PretrainSummary& s, const runtime::Execution& exec) {
  const auto finite_or_null = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  return {{"format", "hecto-pretrain-1"},
          {"recipe", config.recipe_json()},
          {"recipe_hash", config.recipe_hash()},
          {"config", config.to_json()},
          {"encoder", m.encoder->config().describe()},
          {"parameters", m.encoder->config().parameter_count()},
          {"corpus",
           {{"sha256", corpus.packed.sha256},
            {"sha256_of", "packed sequences as little-endian int32, row-major, padding included"},
            {"texts", corpus.packed.texts},
            {"text_tokens", corpus.packed.text_tokens},
            {"sequences", corpus.packed.sequences()},
            {"max_len", config.max_len},
            {"source_files", corpus.texts.source_files},
            {"notes", corpus.texts.notes}}},
          {"steps_done", run.step},
          {"tokens_seen", run.tokens_seen},
          {"minutes", run.minutes},
          {"complete", s.complete},
          {"stop_reason", s.stop_reason},
          {"initial_loss", finite_or_null(s.initial_loss)},
          {"final_loss", finite_or_null(s.final_loss)},
          {"loss_curve", s.loss_curve},
          {"tokens_per_second", s.tokens_per_second},
          {"threads", torch::get_num_threads()},
          {"device", exec.device.describe()},
          {"precision", exec.numerics.name()}};
}

// The loop's running figures for this invocation.
struct LoopState {
  Clock::time_point start = Clock::now();
  double minutes_before = 0;
  int64_t start_step = 0, target_steps = 0, tokens = 0;
  double smoothed = std::numeric_limits<double>::quiet_NaN();
  double last_loss = std::numeric_limits<double>::quiet_NaN();
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
};

void record_loss(RunState& run, LoopState& loop, double loss) {
  if (!std::isfinite(run.initial_loss)) run.initial_loss = loss;
  loop.last_loss = loss;
  loop.smoothed = std::isfinite(loop.smoothed) ? 0.95 * loop.smoothed + 0.05 * loss : loss;
  run.window_sum += loss;
  ++run.window_n;
}

PretrainProgress progress_of(const PretrainConfig& config, const PretrainOptions& options, const RunState& run,
                             const LoopState& loop, bool logged) {
  PretrainProgress p;
  const double el = loop.elapsed();
  p.step = run.step;
  p.target_steps = loop.target_steps;
  p.loss = loop.smoothed;
  p.elapsed_seconds = el;
  p.logged = logged;
  p.tokens_per_second = el > 0 ? static_cast<double>(loop.tokens) / el : 0;
  const double per_step = el / static_cast<double>(run.step - loop.start_step);
  auto consider = [&](double s) { p.eta_seconds = p.eta_seconds < 0 ? s : std::min(p.eta_seconds, s); };
  if (loop.target_steps > 0)
    consider(per_step * static_cast<double>(std::max<int64_t>(0, loop.target_steps - run.step)));
  if (config.max_minutes > 0) consider(std::max(0.0, config.max_minutes * 60 - (loop.minutes_before * 60 + el)));
  if (options.max_minutes > 0) consider(std::max(0.0, options.max_minutes * 60 - el));
  return p;
}

}  // namespace

double pretrain_lr(const PretrainConfig& c, int64_t step) {
  return c.lr * train::lr_factor(optimiser_settings(c), step);
}

PretrainSummary pretrain(const PretrainConfig& recipe, const PretrainOptions& options) {
  PretrainConfig config = recipe;
  if (config.init_from_sha256.empty()) hash_start_encoder(config);
  const fs::path out = options.output.empty() ? fs::path(config.resolved_output()) : fs::path(options.output);
  const std::string recipe_hash = config.recipe_hash();
  if (auto cached = finished_run(out, config, options)) return *cached;
  const auto resume_state = checkpoint_to_resume(out, recipe_hash, options);
  const Corpus corpus = prepare_corpus(config, options);
  if (resume_state && resume_state->value("corpus_sha256", "") != corpus.packed.sha256)
    throw common::InputError({(out / kCheckpointDir / "state.json").string(), 0, 0},
                             "the corpus changed since the checkpoint was written (data or vocabulary differ)",
                             "the same data, or removing " + (out / kCheckpointDir).string());
  const runtime::Execution exec{options.device, runtime::resolve_numerics(config.precision, options.device)};
  Model m = build_model(config, corpus);
  RunState run;
  PretrainSummary summary;
  if (resume_state) {
    const auto tensors = load_checkpoint(out / kCheckpointDir, m.encoder, m.optimiser->adamw(), m.mask_generator);
    m.objective->load_head(tensors, (out / kCheckpointDir / "model.safetensors").string());
    run = state_from_json(resume_state->at("run"));
    summary.resumed = true;
    spdlog::info("pretrain: resuming {} at step {} ({:.1f} min done)", out.string(), run.step, run.minutes);
  }
  if (!resume_state) run.minutes += initialise(m, corpus, config, out);
  m.optimiser->set_steps_done(run.step);
  m.encoder->to(exec.device.device);
  m.objective->to(exec.device.device);
  m.optimiser->move_state_to(exec.device.device);
  fs::create_directories(out);
  const auto checkpoint = [&] {
    save_checkpoint(out, m.encoder, m.objective->head_state(), m.optimiser->adamw(), m.mask_generator,
                    {{"recipe_hash", recipe_hash},
                     {"corpus_sha256", corpus.packed.sha256},
                     {"recipe", config.recipe_json()},
                     {"run", state_json(run)}});
  };

  LoopState loop;
  loop.minutes_before = run.minutes;
  loop.start_step = run.step;
  loop.target_steps = config.max_steps;
  if (options.max_steps > 0)
    loop.target_steps = loop.target_steps > 0 ? std::min(loop.target_steps, options.max_steps) : options.max_steps;
  BatchOrder order(corpus.packed.sequences(), config.batch_size, config.seed);
  std::optional<common::InterruptScope> interrupts;
  if (options.handle_signals) interrupts.emplace("saving a checkpoint after this step");
  m.encoder->train();
  m.objective->train();
  while (true) {
    run.minutes = loop.minutes_before + loop.elapsed() / 60.0;
    summary.stop_reason = stop_reason(config, options, run, loop.elapsed() / 60.0);
    if (!summary.stop_reason.empty()) break;
    const auto batch = batch_of(corpus, order.rows(run.step));
    const auto step_loss = m.objective->loss(m.encoder, batch, m.mask_generator, exec);
    if (step_loss.defined()) {
      const double loss = step_loss.item<double>();
      train::check_finite(loss, "pretraining step " + std::to_string(run.step + 1));
      m.optimiser->step(step_loss);
      record_loss(run, loop, loss);
    } else {
      m.optimiser->set_steps_done(run.step + 1);  // nothing to predict: the schedule still moves on
    }
    ++run.step;
    const int64_t tokens = batch.attention.sum().item<int64_t>();
    loop.tokens += tokens;
    run.tokens_seen += tokens;
    const bool logged = run.step % config.log_every_steps == 0 && run.window_n > 0;
    if (logged) {
      run.loss_curve.emplace_back(run.step, run.window_sum / static_cast<double>(run.window_n));
      run.window_sum = 0;
      run.window_n = 0;
    }
    if (run.step % config.checkpoint_every_steps == 0) checkpoint();
    if (options.on_progress) options.on_progress(progress_of(config, options, run, loop, logged));
  }

  // The unfinished window still counts as the reported curve's last point (not the checkpoint's).
  auto curve = run.loss_curve;
  if (run.window_n > 0) curve.emplace_back(run.step, run.window_sum / static_cast<double>(run.window_n));
  summary.output = out.string();
  summary.interrupted = summary.stop_reason == "signal";
  summary.corpus_sha256 = corpus.packed.sha256;
  summary.text_tokens = corpus.packed.text_tokens;
  summary.sequences = corpus.packed.sequences();
  summary.start_step = loop.start_step;
  summary.steps_done = run.step;
  summary.minutes = run.minutes;
  summary.complete = budget_spent(config, run.step, run.minutes);
  summary.initial_loss = run.initial_loss;
  summary.final_loss = curve.empty() ? loop.last_loss : curve.back().second;
  summary.tokens_per_second = loop.elapsed() > 0 ? static_cast<double>(loop.tokens) / loop.elapsed() : 0;
  summary.loss_curve = curve;
  checkpoint();
  write_output(out, m.encoder, m.objective->head_state(), corpus.vocab_path, output_meta(config, corpus, m, run, summary, exec));
  spdlog::info("pretrain: {} ({}): {}, {:.1f} min in all, on {}; wrote {}",
               summary.complete ? "finished" : "stopped", summary.stop_reason, describe_training(summary),
               run.minutes, exec.describe(), out.string());
  return summary;
}

std::string describe_training(const PretrainSummary& s) {
  if (s.steps_done == 0) return "no masked-LM steps (word vectors only)";
  return fmt::format("step {}, loss {:.4f} -> {:.4f}, {:.0f} tokens/s", s.steps_done, s.initial_loss, s.final_loss,
                     s.tokens_per_second);
}

std::function<void(const PretrainProgress&)> make_pretrain_progress_printer(bool terminal) {
  return [terminal](const PretrainProgress& p) {
    const std::string steps =
        p.target_steps > 0 ? fmt::format("{}/{}", p.step, p.target_steps) : std::to_string(p.step);
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
