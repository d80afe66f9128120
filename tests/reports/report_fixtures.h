#pragma once
// A small results database with hand-picked numbers, built through the real Store API, and a
// reference file of made-up paper figures, so the report tests own every number they check.
#include <filesystem>
#include <string>
#include <vector>

#include "reports/dataset.h"
#include "reports/reference.h"
#include "results/store.h"
#include "tests/testing.h"

namespace hecto::reports::fixtures {

inline const char* kTinyEncoder = "tiny test encoder";

inline results::CellSpec cell(const std::string& id, const std::string& experiment, const std::string& task,
                              const std::string& variant, int seed, const std::string& encoder_name,
                              int batch_size = 16, const std::string& mode = "finetuned") {
  results::CellSpec s;
  s.id = id;
  s.experiment = experiment;
  s.config_json = "{\"id\":\"" + id + "\"}";
  s.axes = {{"task", task},
            {"seed", std::to_string(seed)},
            {"batch_size", std::to_string(batch_size)},
            {"variant", variant},
            {"encoder", mode},
            {"encoder_name", encoder_name}};
  return s;
}

// Eval metrics, gate entropy per epoch, and top-1 routing: per class, `ffnn` of `per_class`
// samples on expert 0 (FFNN), the rest on expert 1 (GRU).
inline results::CellResult finished(const std::string& id, std::map<std::string, double> metrics,
                                    std::vector<double> entropy_per_epoch, std::vector<int> classes, int ffnn,
                                    int per_class, double seconds_per_sample, const std::string& encoder_name) {
  results::CellResult r;
  r.cell_id = id;
  r.metrics["eval"] = metrics;
  r.metrics["train"] = {{"accuracy", 0.99}};
  for (size_t e = 0; e < entropy_per_epoch.size(); ++e) {
    results::EpochRecord ep;
    ep.epoch = static_cast<int>(e + 1);
    ep.train_loss = 1.0 / ep.epoch;
    ep.gate_entropy_bits = entropy_per_epoch[e];
    ep.expert_share = {0.5, 0.5};
    r.epochs.push_back(ep);
  }
  for (int c : classes) {
    if (ffnn > 0) r.routing.push_back({"eval", c, 0, "ffnn", ffnn});
    if (per_class - ffnn > 0) r.routing.push_back({"eval", c, 1, "gru", per_class - ffnn});
  }
  r.timing.train_seconds = 10;
  r.timing.inference_seconds_per_sample = seconds_per_sample;
  r.provenance.cpu_model = "Test CPU";
  r.provenance.threads = 2;
  r.provenance.encoder_name = encoder_name;
  r.provenance.finished_at = "2025-01-01T00:00:00Z";
  return r;
}

// paper-main (tiny encoder): hecto and ffnn_ffnn on agnews and stsb; ffnn_ffnn stsb seed 2
// is left pending. paper-ablations (the paper's encoder name): hecto and no_reg, two seeds,
// three epochs. paper-encoder: registered, nothing done. One pretraining run, one benchmark.
inline void build_fixture_db(results::Store& store) {
  using results::CellSpec;
  const std::vector<int> agnews = {0, 1, 2, 3};
  std::vector<CellSpec> main;
  for (int s = 0; s < 3; ++s) {
    main.push_back(cell("m_h_ag" + std::to_string(s), "paper-main", "agnews", "hecto", s, kTinyEncoder));
    main.push_back(cell("m_f_ag" + std::to_string(s), "paper-main", "agnews", "ffnn_ffnn", s, kTinyEncoder));
    main.push_back(cell("m_h_st" + std::to_string(s), "paper-main", "stsb", "hecto", s, kTinyEncoder));
    main.push_back(cell("m_f_st" + std::to_string(s), "paper-main", "stsb", "ffnn_ffnn", s, kTinyEncoder));
  }
  store.register_experiment("paper-main", "experiments/paper/main.toml", "name = \"paper-main\"", main);
  const double acc_h[] = {0.80, 0.82, 0.81}, mf1_h[] = {0.78, 0.80, 0.79};
  const double acc_f[] = {0.70, 0.71, 0.69}, mf1_f[] = {0.79, 0.78, 0.80};
  const double pear_h[] = {0.50, 0.55, 0.60}, spear_h[] = {0.48, 0.52, 0.56};
  const double pear_f[] = {0.52, 0.57}, spear_f[] = {0.50, 0.54};
  for (int s = 0; s < 3; ++s) {
    const std::string n = std::to_string(s);
    for (const auto& id : {"m_h_ag" + n, "m_f_ag" + n, "m_h_st" + n}) store.claim_cell(id, "test", 60, false);
    store.finish_cell(finished("m_h_ag" + n, {{"accuracy", acc_h[s]}, {"macro_f1", mf1_h[s]}}, {0.9, 0.5}, agnews,
                               5 + s, 25, 0.002 + 0.0001 * s, kTinyEncoder));
    store.finish_cell(finished("m_f_ag" + n, {{"accuracy", acc_f[s]}, {"macro_f1", mf1_f[s]}}, {0.1}, agnews, 25, 25,
                               0.001, kTinyEncoder));
    store.finish_cell(finished("m_h_st" + n, {{"pearson", pear_h[s]}, {"spearman", spear_h[s]}}, {0.8}, {-1}, 30, 100,
                               0.003, kTinyEncoder));
    if (s < 2) {
      store.claim_cell("m_f_st" + n, "test", 60, false);
      store.finish_cell(finished("m_f_st" + n, {{"pearson", pear_f[s]}, {"spearman", spear_f[s]}}, {0.2}, {-1}, 100,
                                 100, 0.001, kTinyEncoder));
    }
  }

  std::vector<CellSpec> ablations;
  for (int s = 0; s < 2; ++s) {
    ablations.push_back(cell("a_h" + std::to_string(s), "paper-ablations", "agnews", "hecto", s, kPaperEncoder));
    ablations.push_back(cell("a_n" + std::to_string(s), "paper-ablations", "agnews", "no_reg", s, kPaperEncoder));
  }
  store.register_experiment("paper-ablations", "experiments/paper/ablations.toml", "name = \"paper-ablations\"",
                            ablations);
  const double ent_h[2][3] = {{0.9, 0.6, 0.4}, {0.8, 0.5, 0.38}}, ent_n[2][3] = {{0.5, 0.1, 0.02}, {0.4, 0.08, 0.03}};
  for (int s = 0; s < 2; ++s) {
    const std::string n = std::to_string(s);
    store.claim_cell("a_h" + n, "test", 60, false);
    store.claim_cell("a_n" + n, "test", 60, false);
    store.finish_cell(finished("a_h" + n, {{"accuracy", 0.90 + 0.01 * s}, {"macro_f1", 0.89 + 0.01 * s}},
                               {ent_h[s][0], ent_h[s][1], ent_h[s][2]}, agnews, 5, 25, 0.004, kPaperEncoder));
    store.finish_cell(finished("a_n" + n, {{"accuracy", 0.88 + 0.005 * s}, {"macro_f1", 0.87 + 0.005 * s}},
                               {ent_n[s][0], ent_n[s][1], ent_n[s][2]}, agnews, 0, 25, 0.004, kPaperEncoder));
  }

  store.register_experiment("paper-encoder", "experiments/paper/encoder.toml", "name = \"paper-encoder\"",
                            {cell("e_h0", "paper-encoder", "agnews", "hecto", 0, kTinyEncoder, 16, "frozen")});

  results::PretrainRecord p;
  p.output = "weights/tiny";
  p.weights_sha256 = "abcdef0123456789";
  p.encoder_name = kTinyEncoder;
  p.steps = 300;
  p.minutes = 12.5;
  p.initial_loss = 9.5;
  p.final_loss = 4.25;
  p.corpus_tokens = 100000;
  p.tokens_per_second = 1234.5;
  p.loss_curve = {{0, 9.5}, {100, 6.0}, {300, 4.25}};
  store.record_pretrain(p);

  results::BenchmarkRecord b;
  b.name = "head_forward_seconds_per_sample";
  b.value = 0.00125;
  b.unit = "s";
  b.params_json = "{\"batch_size\":16}";
  b.provenance.cpu_model = "Test CPU";
  b.provenance.threads = 2;
  b.recorded_at = "2025-01-01T00:00:00Z";
  store.record_benchmark(b);
}

// Made-up paper figures (the real file's numbers may change; the goldens must not).
inline const char* kReferenceJson = R"json({
  "paper": "fixture", "encoder": "distilbert-base-uncased",
  "figures": [
    {"task": "agnews", "variant": "hecto", "batch_size": 16, "encoder": "finetuned", "metric": "accuracy", "value": 90.02, "unit": "%"},
    {"task": "agnews", "variant": "hecto", "batch_size": 16, "encoder": "finetuned", "metric": "gru_share", "value": 79.9, "unit": "%"},
    {"task": "agnews", "variant": "hecto", "batch_size": 16, "encoder": "finetuned", "metric": "gate_entropy_bits", "value": 0.40, "unit": "bits"},
    {"task": "agnews", "variant": "no_reg", "batch_size": 16, "encoder": "finetuned", "metric": "gate_entropy_bits", "value": 0.02, "unit": "bits"},
    {"task": "agnews", "variant": "no_reg", "batch_size": 16, "encoder": "finetuned", "metric": "top_expert_share", "value": 99.7, "unit": "%"},
    {"task": "agnews", "variant": "no_reg", "batch_size": 16, "encoder": "finetuned", "metric": "accuracy_delta_vs_hecto", "value": -2.5, "unit": "pp", "approximate": true},
    {"task": "agnews", "variant": "hecto", "batch_size": 16, "encoder": "finetuned", "metric": "inference_s_per_sample", "value": 0.0083, "unit": "s", "device": "NVIDIA T4 GPU"}
  ]
})json";

inline Reference fixture_reference(const testing::TempDir& dir) {
  return load_reference(testing::write_file(dir / "reference.json", kReferenceJson).string());
}

}  // namespace hecto::reports::fixtures
