#include "train/trainer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "common/error.h"
#include "common/sha256.h"
#include "model/batch.h"
#include "model/hecto_head.h"
#include "train/batching.h"
#include "train/encoder_factory.h"
#include "train/feature_cache.h"
#include "common/interrupt.h"
#include "tasks/token_cache.h"
#include "tasks/task.h"

namespace hecto::train {

using experiment::Config;
using common::throw_if_interrupted;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

model::HectoConfig head_config(const Config& c, int input_dim, const tasks::TaskInfo& info) {
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
  return h;
}

// Where the model's input comes from: cached frozen features, or the live encoder.
struct InputSource {
  const Config& config;
  mutable model::Encoder encoder;  // a module holder: calling it is not const
  const tasks::TokenizedSplit& tokens;
  const FeatureSet* features;  // non-null for frozen cells with cached features
  int32_t pad_id;

  std::pair<torch::Tensor, torch::Tensor> batch(const std::vector<int64_t>& idx) const {
    const int pad_to = config.train.padding == experiment::Padding::Max ? config.data.max_len : 0;
    if (features) {
      auto p = gather_features(*features, idx, pad_to);
      return {p.hidden, p.mask};
    }
    std::vector<const text::Encoding*> encs;
    for (auto i : idx) encs.push_back(&tokens.encodings[i]);
    auto tb = model::pad_batch(encs, pad_id, pad_to);
    return {encoder->forward(tb.ids, tb.mask, tb.type_ids), tb.mask};
  }
};

torch::Tensor targets_for(const tasks::TokenizedSplit& data, const std::vector<int64_t>& idx, bool regression) {
  if (regression) {
    std::vector<float> t;
    for (auto i : idx) t.push_back(data.scores[i] / 5.0f);  // STS-B trains on [0,1]
    return torch::tensor(t, torch::kFloat32);
  }
  std::vector<int64_t> t;
  for (auto i : idx) t.push_back(data.labels[i]);
  return torch::tensor(t, torch::kInt64);
}

struct Evaluation {
  std::map<std::string, double> metrics;
  double gate_entropy_bits = 0;
  std::vector<double> expert_share;
  std::vector<results::RoutingCount> routing;
  double seconds = 0;
};

Evaluation evaluate(const InputSource& src, model::HectoHead& head, const model::HectoConfig& hc,
                    const tasks::TaskInfo& info, int batch_size) {
  const auto start = Clock::now();
  const int64_t n = static_cast<int64_t>(src.tokens.size());
  // Length-sorted batches: evaluation order does not matter, padding does.
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return src.tokens.encodings[a].ids.size() < src.tokens.encodings[b].ids.size();
  });
  const bool enc_training = src.encoder->is_training();
  src.encoder->eval();
  head->eval();
  torch::InferenceMode guard;
  std::vector<int> pred_class(n, 0), chosen(n, 0);
  std::vector<float> pred_score(n, 0.f);
  std::vector<torch::Tensor> gate_parts;
  for (int64_t s = 0; s < n; s += batch_size) {
    std::vector<int64_t> idx(order.begin() + s, order.begin() + std::min<int64_t>(n, s + batch_size));
    auto [hidden, mask] = src.batch(idx);
    auto out = head->forward(hidden, mask);
    gate_parts.push_back(out.gate_probs);
    auto ch = out.chosen().contiguous();
    auto logits = out.logits.contiguous();
    auto argmax = hc.regression ? torch::Tensor() : logits.argmax(1).contiguous();
    for (size_t k = 0; k < idx.size(); ++k) {
      chosen[idx[k]] = static_cast<int>(ch[k].item<int64_t>());
      if (hc.regression)
        pred_score[idx[k]] = std::clamp(logits[k].item<float>(), 0.0f, 1.0f) * 5.0f;
      else
        pred_class[idx[k]] = static_cast<int>(argmax[k].item<int64_t>());
    }
  }
  if (enc_training) src.encoder->train();
  head->train();

  Evaluation ev;
  if (hc.regression) {
    ev.metrics = tasks::score_regression(src.tokens.scores, pred_score);
  } else {
    ev.metrics = tasks::score_classification(src.tokens.labels, pred_class, info.n_classes);
  }
  auto gates = torch::cat(gate_parts, 0);
  ev.gate_entropy_bits = model::mean_gate_entropy_bits(gates);
  const int n_experts = static_cast<int>(hc.experts.size());
  ev.expert_share.assign(n_experts, 0.0);
  std::map<std::pair<int, int>, int64_t> counts;
  for (int64_t i = 0; i < n; ++i) {
    ev.expert_share[chosen[i]] += 1.0 / static_cast<double>(n);
    counts[{hc.regression ? -1 : src.tokens.labels[i], chosen[i]}]++;
  }
  for (const auto& [key, count] : counts)
    ev.routing.push_back({"eval", key.first, key.second, model::to_string(hc.experts[key.second]), count});
  ev.seconds = seconds_since(start);
  return ev;
}

std::string format_metrics(const std::map<std::string, double>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += (s.empty() ? "" : " ") + k + "=" + fmt::format("{:.4f}", v);
  return s;
}

}  // namespace

results::CellResult train_and_evaluate(const Config& c, const TrainEnvironment& env) {
  results::CellResult result;
  tasks::TaskOptions topts;
  topts.data_dir = env.data_dir;
  topts.framing = c.data.framing;
  topts.train_size = c.data.train_size;
  topts.eval_size = c.data.eval_size;
  topts.sample_seed = c.seed;
  auto task = tasks::make_task(c.data.task, topts);
  const auto info = task->info();
  for (const auto& f : task->source_files()) result.provenance.data_sha256[f] = common::sha256_file(f);

  auto train_split = task->load_train();
  auto eval_split = task->load_eval();
  // Say which split of which file is empty: "no rows" is easy to fix once you know where.
  for (const tasks::Split* split : {&train_split, &eval_split})
    if (split->examples.empty())
      throw common::InputError({split->source_files.empty() ? "" : split->source_files.front()},
                               "the " + split->name + " split of task '" + c.data.task + "' has no rows",
                               "a data file with at least one row");
  const std::string default_vocab = tasks::default_vocab_path(env.data_dir);
  auto bundle = make_encoder(c.encoder, default_vocab);
  result.provenance.encoder_name = bundle.name;
  result.provenance.encoder_weights_sha256 = bundle.weights_sha256;
  auto tokenizer = text::Tokenizer::from_file(bundle.vocab_path);
  auto train = tasks::tokenize_split(train_split, tokenizer, c.data.max_len, info.pair_input, env.token_cache_dir);
  auto eval = tasks::tokenize_split(eval_split, tokenizer, c.data.max_len, info.pair_input, env.token_cache_dir);

  const bool frozen = c.encoder.mode == experiment::EncoderMode::Frozen;
  model::Encoder encoder = bundle.encoder;
  FeatureSet train_features, eval_features;
  // Frozen cells read encoder outputs computed once (cached on disk across cells); without the
  // cache (the naive baseline) the frozen encoder runs live at every step.
  const bool use_features = frozen && c.train.feature_cache;
  if (frozen) {
    for (auto& p : encoder->parameters()) p.set_requires_grad(false);
    encoder->eval();
  } else {
    encoder->train();
  }
  if (use_features) {
    if (env.on_progress) env.on_progress({0, c.train.epochs, 0, 0, 0, 0, 0, "encode"});
    train_features = cached_features(encoder, bundle.identity, train.encodings, tokenizer.pad_id(), env.feature_cache_dir);
    eval_features = cached_features(encoder, bundle.identity, eval.encodings, tokenizer.pad_id(), env.feature_cache_dir);
    result.timing.encode_seconds = train_features.encode_seconds + eval_features.encode_seconds;
  }
  InputSource train_src{c, encoder, train, use_features ? &train_features : nullptr, tokenizer.pad_id()};
  InputSource eval_src{c, encoder, eval, use_features ? &eval_features : nullptr, tokenizer.pad_id()};

  torch::manual_seed(c.seed);
  const auto hc = head_config(c, encoder->config().dim, info);
  model::HectoHead head(hc);
  head->train();

  std::vector<torch::optim::OptimizerParamGroup> groups;
  const double head_lr = c.train.head_lr > 0 ? c.train.head_lr : c.train.lr;
  groups.emplace_back(head->parameters(),
                      std::make_unique<torch::optim::AdamWOptions>(
                          torch::optim::AdamWOptions(head_lr).weight_decay(c.train.weight_decay)));
  if (!frozen)
    groups.emplace_back(encoder->parameters(),
                        std::make_unique<torch::optim::AdamWOptions>(
                            torch::optim::AdamWOptions(c.train.lr).weight_decay(c.train.weight_decay)));
  torch::optim::AdamW optimizer(groups, torch::optim::AdamWOptions(c.train.lr).weight_decay(c.train.weight_decay));
  std::vector<double> base_lr;
  for (auto& g : optimizer.param_groups()) base_lr.push_back(static_cast<torch::optim::AdamWOptions&>(g.options()).lr());

  const int64_t n = static_cast<int64_t>(train.size());
  const int64_t bs = c.train.batch_size;
  const int64_t steps_per_epoch = (n + bs - 1) / bs;
  const int64_t total_steps = steps_per_epoch * c.train.epochs;
  const int64_t warmup = static_cast<int64_t>(c.train.warmup_ratio * static_cast<double>(total_steps));
  std::vector<torch::Tensor> all_params;
  for (auto& g : optimizer.param_groups())
    for (auto& p : g.params()) all_params.push_back(p);

  std::mt19937_64 rng(c.seed * 1000003ULL + 17);
  std::vector<int64_t> train_lengths(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) train_lengths[i] = static_cast<int64_t>(train.encodings[i].ids.size());
  const auto train_start = Clock::now();
  int64_t global_step = 0;
  double eval_seconds = 0;
  Evaluation last_eval;
  for (int epoch = 1; epoch <= c.train.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    const auto batches = epoch_batches(train_lengths, bs, c.train.batching, rng);
    double sum_loss = 0, sum_task = 0, sum_ent = 0, sum_div = 0;
    for (int64_t s = 0; s < steps_per_epoch; ++s) {
      throw_if_interrupted();
      if (env.on_heartbeat) env.on_heartbeat();
      const auto& idx = batches[static_cast<size_t>(s)];
      auto [hidden, mask] = train_src.batch(idx);
      auto out = head->forward(hidden, mask);
      auto loss = model::hecto_loss(out, targets_for(train, idx, hc.regression), hc);
      const double total = loss.total.item<double>();
      if (!std::isfinite(total))
        throw NonFiniteLoss("non-finite loss (" + std::to_string(total) + ") at epoch " + std::to_string(epoch) +
                            ", step " + std::to_string(s + 1));
      optimizer.zero_grad();
      loss.total.backward();
      if (c.train.grad_clip > 0) torch::nn::utils::clip_grad_norm_(all_params, c.train.grad_clip);
      if (warmup > 0) {
        const double scale = std::min(1.0, static_cast<double>(global_step + 1) / static_cast<double>(warmup));
        for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
          static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[g].options()).lr(base_lr[g] * scale);
      }
      optimizer.step();
      ++global_step;
      sum_loss += total;
      sum_task += loss.task.item<double>();
      sum_ent += loss.entropy.item<double>();
      sum_div += loss.diversity.item<double>();
      if (env.on_progress) {
        const double elapsed = seconds_since(train_start);
        const double eta = elapsed / static_cast<double>(global_step) * static_cast<double>(total_steps - global_step);
        env.on_progress({epoch, c.train.epochs, s + 1, steps_per_epoch, sum_loss / static_cast<double>(s + 1), elapsed,
                         eta, "train"});
      }
    }
    if (env.on_progress) env.on_progress({epoch, c.train.epochs, steps_per_epoch, steps_per_epoch, 0, 0, 0, "eval"});
    last_eval = evaluate(eval_src, head, hc, info, c.train.eval_batch_size);
    eval_seconds += last_eval.seconds;
    results::EpochRecord rec;
    rec.epoch = epoch;
    const double steps = static_cast<double>(steps_per_epoch);
    rec.train_loss = sum_loss / steps;
    rec.task_loss = sum_task / steps;
    rec.entropy_penalty = sum_ent / steps;
    rec.diversity_penalty = sum_div / steps;
    rec.gate_entropy_bits = last_eval.gate_entropy_bits;
    rec.expert_share = last_eval.expert_share;
    rec.eval_metrics = last_eval.metrics;
    rec.seconds = seconds_since(epoch_start);
    spdlog::debug("epoch {}/{} loss {:.4f} {} gate entropy {:.3f} bits", epoch, c.train.epochs, rec.train_loss,
                  format_metrics(rec.eval_metrics), rec.gate_entropy_bits);
    result.epochs.push_back(std::move(rec));
  }
  const double train_seconds = seconds_since(train_start) - eval_seconds;
  result.metrics["eval"] = last_eval.metrics;
  result.metrics["eval"]["gate_entropy_bits"] = last_eval.gate_entropy_bits;
  for (size_t e = 0; e < hc.experts.size(); ++e)
    result.metrics["eval"]["share_expert_" + std::to_string(e)] = last_eval.expert_share[e];
  result.routing = last_eval.routing;
  result.timing.train_seconds = train_seconds;
  result.timing.eval_seconds = eval_seconds;
  result.timing.train_samples_per_second =
      train_seconds > 0 ? static_cast<double>(n) * c.train.epochs / train_seconds : 0;
  const double last_eval_n = static_cast<double>(eval.size());
  result.timing.eval_samples_per_second = last_eval.seconds > 0 ? last_eval_n / last_eval.seconds : 0;
  result.timing.inference_seconds_per_sample = last_eval.seconds / last_eval_n;
  return result;
}

}  // namespace hecto::train
