#pragma once
// `hecto pretrain`: masked-LM pretraining of a DistilBERT-layout encoder on the training splits
// of the suite's tasks, so the offline track has a pretrained encoder (no published weights are
// reachable here). Writes a Hugging Face directory that load_pretrained() and encoder.path read:
//   <output>/config.json, vocab.txt, model.safetensors (DistilBertForMaskedLM's layout: the
//            encoder as save_pretrained writes it, "distilbert."-prefixed, plus the MLM head's
//            vocab_transform.*, vocab_layer_norm.*, vocab_projector.bias; the decoder weight is
//            the tied word embeddings, so it is not stored),
//            pretrain.json (recipe, corpus, steps, minutes, losses, loss curve, tokens/s)
//   <output>/checkpoint/  model.safetensors, optimizer.pt, rng.pt, state.json (resume point)
// A run resumes from checkpoint/ when the recipe is the same, and returns at once ("cached")
// when pretrain.json says the same recipe already finished.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "pretrain/recipe.h"
#include "runtime/precision.h"

namespace hecto::pretrain {

struct PretrainProgress {
  int64_t step = 0;          // optimizer steps done (over all resumed runs)
  int64_t target_steps = 0;  // where this invocation stops by steps (0 = only by time)
  double loss = 0;           // smoothed training loss
  double tokens_per_second = 0;
  double elapsed_seconds = 0;  // this invocation
  double eta_seconds = -1;     // < 0 when unknown
  bool logged = false;         // this step closed a loss-curve window
};

struct PretrainOptions {
  std::string output;      // overrides the recipe's output when not empty
  std::string data_dir;    // "" = tasks::resolve_data_dir's search
  std::string vocab_path;  // "" = <data_dir>/tokenizer/bert-base-uncased/vocab.txt
  bool resume = false;     // insist on resuming (error when there is no checkpoint)
  // Limits of this invocation only; they stop early without changing the recipe, leaving a
  // checkpoint the next run continues from.
  double max_minutes = 0;  // 0 = none
  int64_t max_steps = 0;   // stop once this many steps are done in total; 0 = none
  // Replaces the tasks' training texts (tests); the recipe's tasks are then not read.
  std::vector<std::string> texts;
  std::function<void(const PretrainProgress&)> on_progress;  // after each step; may be empty
  // SIGINT/SIGTERM during training checkpoint and stop (the CLI sets this; tests use should_stop).
  bool handle_signals = false;
  std::function<bool(int64_t step)> should_stop;  // polled before each step, like a signal; may be empty
  // Where it computes; the numerics come from the recipe's precision (resolved for this device).
  runtime::DeviceChoice device;
};

struct PretrainSummary {
  std::string output;
  bool cached = false;  // the same recipe had already finished: nothing was run
  bool resumed = false;
  bool complete = false;     // the recipe's budget is spent
  bool interrupted = false;  // stopped by SIGINT/SIGTERM (a checkpoint was saved)
  std::string stop_reason;   // "max_steps", "max_minutes", "--max-steps", "--max-minutes", "signal", "cached"
  int64_t start_step = 0, steps_done = 0;
  double minutes = 0;  // training minutes over all resumed runs
  double initial_loss = 0, final_loss = 0;
  double tokens_per_second = 0;                        // this invocation
  std::vector<std::pair<int64_t, double>> loss_curve;  // [step, mean loss of the window ending there]
  std::string corpus_sha256;
  int64_t text_tokens = 0, sequences = 0;
};

PretrainSummary pretrain(const PretrainConfig& config, const PretrainOptions& options);

// What the masked-LM part did, for a log line: "step N, loss a -> b, T tokens/s", or "no
// masked-LM steps (word vectors only)" for a recipe that stops after the word vectors.
std::string describe_training(const PretrainSummary& summary);

// The learning rate at a 0-based step: linear warm-up, then linear decay to 0 at max_steps
// ("linear" with max_steps > 0) or constant.
double pretrain_lr(const PretrainConfig& config, int64_t step);

// A progress sink for the CLI: a live line on a terminal, a log line per loss-curve window otherwise.
std::function<void(const PretrainProgress&)> make_pretrain_progress_printer(bool terminal);

}  // namespace hecto::pretrain
