#include "train/trainer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <cmath>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/peak_memory.h"
#include "common/sha256.h"
#include "model/hecto_head.h"
#include "tasks/data_source.h"
#include "tasks/task.h"
#include "tasks/token_cache.h"
#include "text/tokenizer.h"
#include "train/batch_source.h"
#include "model/attribution.h"
#include "train/artifact.h"
#include "train/batching.h"
#include "train/encoder_factory.h"
#include "train/evaluation.h"
#include "train/feature_cache.h"

namespace hecto::train {

using experiment::Config;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// ---- data: the task's splits, tokenised (cached), and the encoder they are tokenised for ----

struct CellData {
  tasks::TaskInfo info;
  std::map<std::string, std::string> data_sha256, data_source;
  EncoderBundle bundle;
  text::Tokenizer tokenizer;
  int32_t pad_id = 0;
  tasks::TokenizedSplit train, eval;
  std::vector<std::string> eval_texts;  // what an attribution shows beside its tokens
};

CellData load_cell_data(const Config& c, const TrainEnvironment& env) {
  const auto task = tasks::make_task(c.data.task, experiment::task_options(c, env.data_dir));
  CellData d;
  d.info = task->info();
  for (const auto& f : task->source_files()) {
    d.data_sha256[f] = common::sha256_file(f);
    if (auto kind = tasks::data_source_kind(env.data_dir, f, d.data_sha256[f]); !kind.empty()) d.data_source[f] = kind;
  }
  const auto train_split = task->load_train();
  const auto eval_split = task->load_eval();
  // Say which split of which file is empty: "no rows" is easy to fix once you know where.
  for (const tasks::Split* split : {&train_split, &eval_split})
    if (split->examples.empty())
      throw common::InputError({split->source_files.empty() ? "" : split->source_files.front()},
                               "the " + split->name + " split of task '" + c.data.task + "' has no rows",
                               "a data file with at least one row");
  d.bundle = make_encoder(c.encoder, tasks::default_vocab_path(env.data_dir));
  d.tokenizer = text::Tokenizer::from_file(d.bundle.vocab_path);
  d.pad_id = d.tokenizer.pad_id();
  d.train = tasks::tokenize_split(train_split, d.tokenizer, c.data.max_len, d.info.pair_input, env.token_cache_dir);
  d.eval = tasks::tokenize_split(eval_split, d.tokenizer, c.data.max_len, d.info.pair_input, env.token_cache_dir);
  for (const auto& e : eval_split.examples)
    d.eval_texts.push_back(e.text_b.empty() ? e.text_a : e.text_a + " | " + e.text_b);
  return d;
}

// ---- model: the encoder (frozen or fine-tuned), its cached features, the Hecto head ----

model::HectoConfig head_config(const Config& c, int input_dim, const tasks::TaskInfo& info) {
  if (c.model.pooling == model::Pooling::Pair && !info.pair_input)
    throw common::InputError({}, "model.pooling = pair: the pair view compares two sentences, but task '" + c.data.task +
                                                    "' has one per example",
                             "model.pooling = \"pair\" only for a sentence-pair task (stsb), else \"cls\" or \"mean\"");
  model::HectoConfig h;
  h.input_dim = input_dim;
  h.proj_dim = c.model.proj_dim;
  h.gate_hidden = c.model.gate_hidden;
  h.expert_hidden = c.model.expert_hidden;
  h.regression = info.n_classes == 0;
  h.n_outputs = h.regression ? 1 : info.n_classes;
  h.experts = c.model.experts;
  h.top_k = c.model.top_k;
  h.temperature = c.model.temperature;
  h.lambda_ent = c.model.lambda_ent;
  h.lambda_div = c.model.lambda_div;
  h.sparse_dispatch = c.model.sparse_dispatch;
  h.pooling = c.model.pooling;
  return h;
}

torch::Tensor word_embedding_matrix(const model::Encoder& encoder) {
  return encoder->named_parameters()["embeddings.word_embeddings.weight"];
}

struct CellModel {
  model::Encoder encoder{nullptr};
  bool frozen = false;
  // Frozen cells read encoder outputs computed once (cached on disk across cells); without the
  // cache (the naive baseline) the frozen encoder runs live at every step.
  bool use_features = false;
  FeatureSet train_features, eval_features;
  model::HectoHead head{nullptr};
  double encode_seconds = 0;
};

CellModel build_model(const Config& c, const TrainEnvironment& env, const runtime::Execution& exec, CellData& d) {
  CellModel m;
  m.encoder = d.bundle.encoder;
  m.encoder->to(exec.device.device);
  m.frozen = c.encoder.mode == experiment::EncoderMode::Frozen;
  m.use_features = m.frozen && c.train.feature_cache;
  if (m.frozen) {
    for (auto& p : m.encoder->parameters()) p.set_requires_grad(false);
    m.encoder->eval();
  } else {
    m.encoder->train();
    // Kept as loaded, the matrix needs no gradient: backward skips a vocabulary-sized scatter.
    if (c.train.embedding_lr_scale == 0) word_embedding_matrix(m.encoder).set_requires_grad(false);
  }
  if (m.use_features) {
    if (env.on_progress) env.on_progress({0, c.train.epochs, 0, 0, 0, 0, 0, "encode"});
    const auto& id = d.bundle.identity;
    m.train_features =
        cached_features(m.encoder, id, d.train.encodings, d.pad_id, env.feature_cache_dir, exec).to(exec.device.device);
    m.eval_features =
        cached_features(m.encoder, id, d.eval.encodings, d.pad_id, env.feature_cache_dir, exec).to(exec.device.device);
    m.encode_seconds = m.train_features.encode_seconds + m.eval_features.encode_seconds;
  }
  torch::manual_seed(c.seed);
  m.head = model::HectoHead(head_config(c, m.encoder->config().dim, d.info));
  m.head->to(exec.device.device);
  m.head->train();
  return m;
}

// The head at head_lr; a fine-tuned encoder at lr, its word-embedding matrix at lr x
// embedding_lr_scale (left out at 0). At x 1 the matrix stays in the encoder's groups, in its
// place, so the groups and their order are what they were before the option existed.
std::vector<ParamGroup> parameter_groups(const Config& c, CellModel& m) {
  const double head_lr = c.train.head_lr > 0 ? c.train.head_lr : c.train.lr;
  std::vector<ParamGroup> groups = decay_groups(m.head->parameters(), head_lr, c.train.weight_decay);
  if (m.frozen) return groups;
  const double scale = c.train.embedding_lr_scale;
  const torch::Tensor words = word_embedding_matrix(m.encoder);
  std::vector<torch::Tensor> at_lr;
  for (const auto& p : m.encoder->parameters())
    if (scale == 1 || !p.is_same(words)) at_lr.push_back(p);
  for (auto& g : decay_groups(at_lr, c.train.lr, c.train.weight_decay)) groups.push_back(std::move(g));
  if (scale != 1 && scale > 0)
    for (auto& g : decay_groups({words}, c.train.lr * scale, c.train.weight_decay)) groups.push_back(std::move(g));
  return groups;
}

Optimiser make_optimiser(const Config& c, CellModel& m, int64_t total_steps) {
  std::vector<ParamGroup> groups = parameter_groups(c, m);
  OptimiserSettings s;
  s.total_steps = total_steps;
  s.warmup_steps = static_cast<int64_t>(c.train.warmup_ratio * static_cast<double>(total_steps));
  s.schedule = c.train.schedule;
  s.grad_clip = c.train.grad_clip;
  return Optimiser(std::move(groups), s);
}

// ---- the loop ----

// The epoch's loss parts, summed on the device and read back every `read_every` steps (every
// step on the CPU, where reading is free; less often on a GPU, which then never waits on the host).
class LossTally {
 public:
  LossTally(int64_t read_every, int epoch) : read_every_(read_every), epoch_(epoch) {}

  void add(const model::LossParts& l, int64_t step) {
    const auto parts = torch::stack({l.total, l.task, l.entropy, l.diversity}).detach().to(torch::kFloat64);
    pending_ = pending_.defined() ? pending_ + parts : parts;
    if (first_pending_ < 0) first_pending_ = step;
    if (step - first_pending_ + 1 >= read_every_) read(step);
  }
  // Reads what is pending; NonFiniteLoss names the step (or the steps since the last read).
  void read(int64_t last_step) {
    if (!pending_.defined()) return;
    const auto host = pending_.cpu();
    const double* v = host.data_ptr<double>();
    const std::string steps = first_pending_ == last_step
                                  ? std::to_string(last_step)
                                  : std::to_string(first_pending_) + "-" + std::to_string(last_step);
    check_finite(v[0], "epoch " + std::to_string(epoch_) + ", step " + steps);
    for (int i = 0; i < 4; ++i) sums_[i] += v[i];
    steps_ += last_step - first_pending_ + 1;
    pending_ = torch::Tensor();
    first_pending_ = -1;
  }
  double mean(int part) const { return steps_ > 0 ? sums_[part] / static_cast<double>(steps_) : 0; }

 private:
  int64_t read_every_;
  int epoch_;
  torch::Tensor pending_;
  int64_t first_pending_ = -1;
  double sums_[4] = {0, 0, 0, 0};
  int64_t steps_ = 0;
};

struct LoopClock {
  Clock::time_point start = Clock::now();
  int64_t steps_done = 0, total_steps = 0;
};

LossTally train_epoch(const Config& c, int epoch, const std::vector<int64_t>& lengths, const BatchSource& source,
                      model::HectoHead& head, Optimiser& optimiser, const TrainEnvironment& env,
                      const runtime::Execution& exec, LoopClock& clock) {
  auto rng = pass_rng(c.seed, static_cast<uint64_t>(epoch));
  const auto batches = epoch_batches(lengths, c.train.batch_size, c.train.batching, rng);
  LossTally tally(exec.device.is_cuda() ? 50 : 1, epoch);
  const bool regression = head->config().regression;
  const int64_t steps = static_cast<int64_t>(batches.size());
  for (int64_t s = 0; s < steps; ++s) {
    common::throw_if_interrupted();
    if (env.on_heartbeat) env.on_heartbeat();
    const auto& idx = batches[static_cast<size_t>(s)];
    const auto batch = source.batch(idx);
    const auto out = head->forward(batch.hidden, batch.mask, batch.segments);
    const auto loss = model::hecto_loss(out, source.targets(idx, regression), head->config());
    tally.add(loss, s + 1);
    optimiser.step(loss.total);
    ++clock.steps_done;
    if (env.on_progress) {
      const double elapsed = seconds_since(clock.start);
      const double eta =
          elapsed / static_cast<double>(clock.steps_done) * static_cast<double>(clock.total_steps - clock.steps_done);
      env.on_progress({epoch, c.train.epochs, s + 1, steps, tally.mean(0), elapsed, eta, "train"});
    }
  }
  tally.read(steps);
  return tally;
}

results::EpochRecord epoch_record(int epoch, const LossTally& losses, const Evaluation* ev, double seconds) {
  results::EpochRecord rec;
  rec.epoch = epoch;
  rec.train_loss = losses.mean(0);
  rec.task_loss = losses.mean(1);
  rec.entropy_penalty = losses.mean(2);
  rec.diversity_penalty = losses.mean(3);
  if (ev) {
    rec.gate_entropy_bits = ev->gate_entropy_bits;
    rec.expert_share = ev->expert_share;
    rec.eval_metrics = ev->metrics;
  }
  rec.seconds = seconds;
  return rec;
}

// ---- explanations: the gate's integrated gradients for a fixed sample, and the artifact ----

// The first `per_class` evaluation inputs of each class (of the whole split for regression).
std::vector<results::AttributionRecord> explain_samples(int64_t per_class, CellModel& m, const CellData& d) {
  std::map<int, int64_t> taken;
  std::vector<results::AttributionRecord> out;
  for (size_t i = 0; i < d.eval.size(); ++i) {
    const int cls = d.info.n_classes > 0 ? d.eval.labels[i] : -1;
    if (taken[cls] >= per_class) continue;
    ++taken[cls];
    const auto& enc = d.eval.encodings[i];
    const auto ids = torch::tensor(std::vector<int64_t>(enc.ids.begin(), enc.ids.end()));
    const auto types = torch::tensor(std::vector<int64_t>(enc.type_ids.begin(), enc.type_ids.end()));
    const auto a = model::gate_attribution(m.encoder, m.head, ids, types);
    results::AttributionRecord r;
    r.example = static_cast<int>(i);
    r.true_class = cls;
    r.expert = a.expert;
    r.expert_kind = model::to_string(m.head->config().experts[static_cast<size_t>(a.expert)]);
    r.text = d.eval_texts[i];
    for (int32_t id : enc.ids) r.tokens.push_back(d.tokenizer.id_to_token(id));
    r.scores = a.scores;
    r.logit = a.logit;
    r.baseline_logit = a.baseline_logit;
    r.completeness_error = a.completeness_error();
    out.push_back(std::move(r));
  }
  return out;
}

results::Artifact keep_artifact(const Config& c, const TrainEnvironment& env, CellModel& m, const CellData& d) {
  const bool frozen_checkpoint = m.frozen && c.encoder.source == experiment::EncoderSource::Pretrained;
  ArtifactInput in{c, m.encoder, m.head, d.bundle.vocab_path, frozen_checkpoint ? c.encoder.path : "",
                   d.bundle.weights_sha256, d.info.label_names};
  return save_artifact((std::filesystem::path(env.artifact_dir) / env.cell_id).string(), in);
}

// ---- summary ----

void record_final(results::CellResult& r, const Evaluation& ev, const model::HectoConfig& hc) {
  r.metrics["eval"] = ev.metrics;
  r.metrics["eval"]["gate_entropy_bits"] = ev.gate_entropy_bits;
  for (size_t e = 0; e < hc.experts.size(); ++e)
    r.metrics["eval"]["share_expert_" + std::to_string(e)] = ev.expert_share[e];
  r.routing = ev.routing;
}

}  // namespace

results::CellResult train_and_evaluate(const Config& c, const TrainEnvironment& env) {
  common::reset_peak_rss();  // this cell's peak, not the process's so far
  const runtime::Execution exec{env.device,
                                runtime::resolve_numerics(experiment::to_string(c.train.precision), env.device)};
  CellData data = load_cell_data(c, env);
  CellModel m = build_model(c, env, exec, data);
  const int pad_to = c.train.padding == experiment::Padding::Max ? c.data.max_len : 0;
  const BatchSource train_src(m.encoder, data.train, m.use_features ? &m.train_features : nullptr, data.pad_id, pad_to,
                              exec);
  const BatchSource eval_src(m.encoder, data.eval, m.use_features ? &m.eval_features : nullptr, data.pad_id, pad_to,
                             exec);
  std::vector<int64_t> lengths(data.train.size());
  for (size_t i = 0; i < lengths.size(); ++i) lengths[i] = static_cast<int64_t>(data.train.encodings[i].ids.size());
  const int64_t steps_per_epoch = (static_cast<int64_t>(lengths.size()) + c.train.batch_size - 1) / c.train.batch_size;
  LoopClock clock;
  clock.total_steps = steps_per_epoch * c.train.epochs;
  Optimiser optimiser = make_optimiser(c, m, clock.total_steps);

  results::CellResult result;
  result.provenance.data_sha256 = data.data_sha256;
  result.provenance.data_source = data.data_source;
  result.provenance.encoder_name = data.bundle.name;
  result.provenance.encoder_weights_sha256 = data.bundle.weights_sha256;
  result.provenance.device = exec.device.kind;
  result.provenance.device_name = exec.device.name;
  result.provenance.cuda_runtime = exec.device.cuda_runtime;
  result.provenance.cudnn = exec.device.cudnn;
  result.provenance.driver = exec.device.driver;
  result.provenance.precision = exec.numerics.name();
  const bool every_epoch = c.train.eval_schedule == experiment::EvalSchedule::EveryEpoch;
  double eval_seconds = 0;
  Evaluation final_eval;
  for (int epoch = 1; epoch <= c.train.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    const LossTally losses = train_epoch(c, epoch, lengths, train_src, m.head, optimiser, env, exec, clock);
    const bool last = epoch == c.train.epochs;
    std::optional<Evaluation> ev;
    if (every_epoch || last) {
      if (env.on_progress) env.on_progress({epoch, c.train.epochs, steps_per_epoch, steps_per_epoch, 0, 0, 0, "eval"});
      ev = evaluate(eval_src, m.head, data.info, c.train.eval_batch_size);
      final_eval = *ev;
    } else if (c.train.monitor_size > 0) {
      ev = evaluate(eval_src, m.head, data.info, c.train.eval_batch_size, c.train.monitor_size);
    }
    if (ev) eval_seconds += ev->seconds;
    result.epochs.push_back(epoch_record(epoch, losses, ev ? &*ev : nullptr, seconds_since(epoch_start)));
    spdlog::debug("epoch {}/{} loss {:.4f} gate entropy {:.3f} bits", epoch, c.train.epochs, losses.mean(0),
                  ev ? ev->gate_entropy_bits : 0.0);
  }
  record_final(result, final_eval, m.head->config());
  if (c.train.explain_per_class > 0) result.attributions = explain_samples(c.train.explain_per_class, m, data);
  if (c.train.save_artifact && !env.artifact_dir.empty()) result.artifact = keep_artifact(c, env, m, data);
  const double train_seconds = seconds_since(clock.start) - eval_seconds;
  const double n_train = static_cast<double>(lengths.size()), n_eval = static_cast<double>(final_eval.examples);
  result.timing.train_seconds = train_seconds;
  result.timing.eval_seconds = eval_seconds;
  result.timing.encode_seconds = m.encode_seconds;
  result.timing.train_samples_per_second = train_seconds > 0 ? n_train * c.train.epochs / train_seconds : 0;
  result.timing.eval_samples_per_second = final_eval.seconds > 0 ? n_eval / final_eval.seconds : 0;
  result.timing.inference_seconds_per_sample = n_eval > 0 ? final_eval.seconds / n_eval : 0;
  result.timing.peak_rss_bytes = common::peak_rss_bytes();
  return result;
}

}  // namespace hecto::train
