#pragma once
// What a finished cell writes to the results database. Plain data: no torch, no TOML.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hecto::results {

// Where every command reads and writes results unless --db says otherwise.
inline constexpr const char* kDefaultDbPath = "results/hecto.db";

enum class CellStatus { Pending, Running, Done, Failed };
std::string to_string(CellStatus s);
CellStatus cell_status_from_string(const std::string& s);

// One cell of an experiment matrix, as planned.
struct CellSpec {
  std::string id;                           // hex sha256 prefix of canonical config + data/weight hashes
  std::string experiment;                   // experiment name (from the TOML file)
  std::string config_json;                  // canonical resolved config (sorted keys)
  std::map<std::string, std::string> axes;  // the matrix axes' values: task, seed, batch_size, variant, encoder, ...
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  double train_loss = 0, task_loss = 0, entropy_penalty = 0, diversity_penalty = 0;
  double gate_entropy_bits = 0;                // mean per-sample gate entropy on the eval split
  std::vector<double> expert_share;            // fraction of eval samples routed to each expert
  std::map<std::string, double> eval_metrics;  // metrics on the eval split after this epoch
  double seconds = 0;
};

// How many samples of a true class went to an expert (top-1), per split.
struct RoutingCount {
  std::string split;    // same split names as CellResult::metrics
  int true_class = -1;  // -1 for regression tasks
  int expert = 0;
  std::string expert_kind;  // "ffnn" | "gru"
  int64_t count = 0;
};

struct Timing {
  double train_seconds = 0, eval_seconds = 0, encode_seconds = 0;
  double train_samples_per_second = 0, eval_samples_per_second = 0;
  double inference_seconds_per_sample = 0;  // eval forward time / eval samples (batched)
  int64_t peak_rss_bytes = 0;               // the process's peak resident memory by the cell's end
};

struct Provenance {
  std::string git_commit;
  bool git_dirty = false;
  std::string compiler, build_type, torch_version;
  std::string blas, blas_core;
  int threads = 0;
  std::string cpu_model, host;
  std::string cpu_isa;  // family, model, vector extensions, ATen kernel set (runtime/cpu_isa.h)
  std::map<std::string, std::string> data_sha256;  // file path -> sha256
  std::map<std::string, std::string> data_source;  // file path -> "official" | "staged" (absent: unknown)
  std::string encoder_name;                        // e.g. "offline MLM-pretrained dim 256 x 4"
  std::string encoder_weights_sha256;              // "" for random initialisation
  std::string started_at, finished_at;             // ISO 8601 UTC
  // Where and how it computed: results of different devices or numerics are never merged.
  std::string device = "cpu";               // "cpu" | "cuda"
  std::string device_name;                  // the CPU model or the GPU's name
  std::string cuda_runtime, cudnn, driver;  // "" on the CPU
  std::string precision = "fp32";           // "fp32" | "bf16"
};

// What a cell kept for later explanation (train.save_artifact): its trained head and, unless the
// encoder is a frozen checkpoint on disk, its encoder.
struct Artifact {
  std::string path;  // directory
  int64_t bytes = 0;
};

// Integrated gradients of the gate for one evaluation input (model/attribution.h).
struct AttributionRecord {
  int example = 0;     // index in the cell's evaluation split
  int true_class = -1;
  int expert = 0;      // the chosen expert
  std::string expert_kind;
  std::string text;
  std::vector<std::string> tokens;
  std::vector<double> scores;  // per token, summing to logit - baseline_logit
  double logit = 0, baseline_logit = 0, completeness_error = 0;
};

struct CellResult {
  std::string cell_id;
  // split -> metric -> value. The views take a cell's eval split to be the first of "eval",
  // "test", "dev", "validation" present (else any split but "train"). NaN is stored as NULL.
  std::map<std::string, std::map<std::string, double>> metrics;
  std::vector<EpochRecord> epochs;
  std::vector<RoutingCount> routing;
  Timing timing;
  Provenance provenance;
  std::optional<Artifact> artifact;
  std::vector<AttributionRecord> attributions;
};

// One benchmark figure (`hecto bench`), stored with the build and machine it came from.
struct BenchmarkRecord {
  std::string name;  // e.g. "encode_frozen_tokens_per_second"
  double value = 0;
  std::string unit;         // e.g. "tokens/s", "s"
  std::string params_json;  // the benchmark's parameters (batch size, threads, ...)
  Provenance provenance;    // data_sha256, encoder and started/finished fields unused
  std::string recorded_at;  // ISO 8601 UTC; "" = now
};

// One finished masked-LM pretraining (`hecto pretrain`), keyed by the weights it produced, so
// a cell's encoder_weights_sha256 joins to the recipe, corpus and loss curve behind it.
struct PretrainRecord {
  std::string output, weights_sha256, encoder_name, recipe_json;
  std::string corpus_sha256;
  int64_t corpus_tokens = 0, steps = 0;
  double minutes = 0, initial_loss = 0, final_loss = 0, tokens_per_second = 0;
  std::string host, cpu_model;
  std::vector<std::pair<int64_t, double>> loss_curve;  // [step, loss]
};

}  // namespace hecto::results
