// Google Benchmark JSON (as 1.7 writes it) -> BenchRuns -> BenchmarkRecords, on canned text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bench/bench_import.h"
#include "common/error.h"

namespace hecto::bench {
namespace {

const char* kJson = R"json({
  "context": {
    "date": "2025-01-01T12:00:00+00:00",
    "host_name": "bench-host",
    "executable": "build/bench/encoder_bench",
    "num_cpus": 2,
    "library_build_type": "release",
    "hecto_commit": "abc123-dirty",
    "libtorch": "1.13.0",
    "blas": "/usr/lib/libopenblas.so.0",
    "blas_core": "SkylakeX",
    "torch_threads": "2",
    "cpu": "Intel(R) Xeon(R)",
    "omp_wait_policy": "ACTIVE",
    "gomp_spincount": "1000"
  },
  "benchmarks": [
    {
      "name": "encoder_forward/base_dynamic/batch:16/real_time",
      "family_index": 0, "per_family_instance_index": 0,
      "run_name": "encoder_forward/base_dynamic/batch:16/real_time",
      "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "threads": 1,
      "iterations": 3, "real_time": 412.5, "cpu_time": 800.25, "time_unit": "ms",
      "GFLOP/s": 95.5, "items_per_second": 38.8, "padded_len": 71.0, "tokens/s": 2100.0,
      "label": "distilbert dim 768 x 6 layers"
    },
    {
      "name": "BM_mm/m:2048/real_time_mean",
      "run_name": "BM_mm/m:2048/real_time",
      "run_type": "aggregate", "repetitions": 3, "threads": 1,
      "aggregate_name": "mean", "aggregate_unit": "time",
      "iterations": 3, "real_time": 120.0, "cpu_time": 119.0, "time_unit": "ms", "GFLOP/s": 140.0
    },
    {
      "name": "BM_mm/m:2048/real_time_cv",
      "run_name": "BM_mm/m:2048/real_time",
      "run_type": "aggregate", "aggregate_name": "cv", "aggregate_unit": "percentage",
      "iterations": 3, "real_time": 0.02, "cpu_time": 0.03, "time_unit": "ms"
    },
    {
      "name": "BM_TokenizeSst2Train",
      "run_name": "BM_TokenizeSst2Train", "run_type": "iteration", "threads": 1,
      "iterations": 0, "real_time": 0, "cpu_time": 0, "time_unit": "ms",
      "error_occurred": true, "error_message": "no texts found: set HECTO_DATA_DIR"
    }
  ]
})json";

const BenchFigure* figure(const BenchRun& run, const std::string& name) {
  for (const auto& f : run.figures)
    if (f.figure == name) return &f;
  return nullptr;
}

TEST(BenchImport, ParsesRunsCountersAndErrors) {
  auto import = parse_benchmark_json(kJson, "encoder_bench");
  ASSERT_EQ(import.runs.size(), 3u);
  ASSERT_EQ(import.errors.size(), 1u);
  EXPECT_EQ(import.errors[0], "BM_TokenizeSst2Train: no texts found: set HECTO_DATA_DIR");

  const auto& run = import.runs[0];
  EXPECT_EQ(run.name, "encoder_forward/base_dynamic/batch:16");  // "/real_time" dropped
  EXPECT_EQ(run.iterations, 3);
  EXPECT_EQ(run.label, "distilbert dim 768 x 6 layers");
  EXPECT_TRUE(run.aggregate.empty());
  ASSERT_EQ(run.figures.size(), 6u);  // real_time, cpu_time and four counters
  EXPECT_EQ(run.figures[0].figure, "real_time");
  EXPECT_DOUBLE_EQ(run.figures[0].value, 412.5);
  EXPECT_EQ(run.figures[0].unit, "ms");
  ASSERT_NE(figure(run, "GFLOP/s"), nullptr);
  EXPECT_DOUBLE_EQ(figure(run, "GFLOP/s")->value, 95.5);
  EXPECT_EQ(figure(run, "GFLOP/s")->unit, "GFLOP/s");
  EXPECT_EQ(figure(run, "items_per_second")->unit, "items/s");
  EXPECT_EQ(figure(run, "padded_len")->unit, "");
  EXPECT_EQ(figure(run, "family_index"), nullptr);  // run fields are not counters

  EXPECT_EQ(import.runs[1].aggregate, "mean");
  EXPECT_EQ(import.runs[1].name, "BM_mm/m:2048_mean");
  EXPECT_EQ(import.runs[1].run_name, "BM_mm/m:2048");
  EXPECT_EQ(figure(import.runs[2], "real_time")->unit, "fraction");  // cv is a ratio, not ms
}

TEST(BenchImport, RecordsCarryContextProvenanceAndParams) {
  BenchSource source;
  source.binary = "encoder_bench";
  source.min_time = 0.1;
  source.provenance.compiler = "GNU 12.2.0";
  source.provenance.threads = 8;  // this process's; the benchmark process ran with 2
  source.provenance.host = "here";
  auto records = to_benchmark_records(parse_benchmark_json(kJson, "encoder_bench"), source);
  ASSERT_EQ(records.size(), 6u + 3u + 2u);

  const auto& r = records[0];
  EXPECT_EQ(r.name, "encoder_forward/base_dynamic/batch:16 real_time");
  EXPECT_DOUBLE_EQ(r.value, 412.5);
  EXPECT_EQ(r.unit, "ms");
  EXPECT_EQ(r.provenance.git_commit, "abc123");
  EXPECT_TRUE(r.provenance.git_dirty);
  EXPECT_EQ(r.provenance.torch_version, "1.13.0");
  EXPECT_EQ(r.provenance.blas_core, "SkylakeX");
  EXPECT_EQ(r.provenance.threads, 2);
  EXPECT_EQ(r.provenance.cpu_model, "Intel(R) Xeon(R)");
  EXPECT_EQ(r.provenance.host, "bench-host");
  EXPECT_EQ(r.provenance.compiler, "GNU 12.2.0");  // not in the context: kept

  auto params = nlohmann::json::parse(r.params_json);
  EXPECT_EQ(params["binary"], "encoder_bench");
  EXPECT_EQ(params["benchmark"], "encoder_forward/base_dynamic/batch:16");
  EXPECT_EQ(params["figure"], "real_time");
  EXPECT_EQ(params["iterations"], 3);
  EXPECT_DOUBLE_EQ(params["min_time"].get<double>(), 0.1);
  EXPECT_EQ(params["label"], "distilbert dim 768 x 6 layers");
  EXPECT_FALSE(params.contains("aggregate"));
  EXPECT_EQ(params["omp_wait_policy"], "ACTIVE");
  EXPECT_EQ(params["gomp_spincount"], "1000");
  EXPECT_EQ(nlohmann::json::parse(records[6].params_json)["aggregate"], "mean");
}

TEST(BenchImport, RejectsWhatIsNotBenchmarkJson) {
  EXPECT_THROW(parse_benchmark_json("", "x_bench"), common::RunError);
  EXPECT_THROW(parse_benchmark_json("{\"benchmarks\": 3}", "x_bench"), common::RunError);
  EXPECT_THROW(parse_benchmark_json("Failed to match any benchmarks", "x_bench"), common::RunError);
  auto empty = parse_benchmark_json(R"({"context": {}, "benchmarks": []})", "x_bench");
  EXPECT_TRUE(empty.runs.empty());
  EXPECT_TRUE(empty.errors.empty());
}

}  // namespace
}  // namespace hecto::bench
