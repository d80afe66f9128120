#include "bench/bench_import.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace hecto::bench {

using nlohmann::json;

namespace {

// Keys of a run object that are not counters (Google Benchmark 1.7 writes counters as
// top-level numeric members beside these).
bool is_run_field(const std::string& key) {
  static const char* fields[] = {"name",
                                 "family_index",
                                 "per_family_instance_index",
                                 "run_name",
                                 "run_type",
                                 "repetitions",
                                 "repetition_index",
                                 "threads",
                                 "iterations",
                                 "real_time",
                                 "cpu_time",
                                 "time_unit",
                                 "aggregate_name",
                                 "aggregate_unit",
                                 "label",
                                 "error_occurred",
                                 "error_message",
                                 "big_o",
                                 "rms",
                                 "complexity"};
  for (const char* f : fields)
    if (key == f) return true;
  return false;
}

std::string counter_unit(const std::string& key) {
  if (key == "items_per_second") return "items/s";
  if (key == "bytes_per_second") return "bytes/s";
  return key.find('/') != std::string::npos ? key : "";
}

std::string string_or(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int64_t int_or(const json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : fallback;
}

// UseRealTime() makes Google Benchmark append "/real_time" to every name (before an aggregate's
// "_mean"); the suite times everything that way, so the suffix says nothing and is dropped.
std::string without_real_time(std::string name) {
  const std::string tag = "/real_time";
  const auto at = name.rfind(tag);
  if (at != std::string::npos && (at + tag.size() == name.size() || name[at + tag.size()] == '_'))
    name.erase(at, tag.size());
  return name;
}

BenchRun parse_run(const json& r) {
  BenchRun run;
  run.name = without_real_time(string_or(r, "name"));
  run.run_name = without_real_time(string_or(r, "run_name", string_or(r, "name")));
  run.aggregate = string_or(r, "aggregate_name");
  run.label = string_or(r, "label");
  run.iterations = int_or(r, "iterations", 0);
  run.threads = int_or(r, "threads", 1);
  // A "percentage" aggregate (cv) holds ratios, whatever the figure.
  const bool ratio = string_or(r, "aggregate_unit") == "percentage";
  const std::string time_unit = ratio ? "fraction" : string_or(r, "time_unit", "ns");
  for (const char* t : {"real_time", "cpu_time"})
    if (auto it = r.find(t); it != r.end() && it->is_number()) run.figures.push_back({t, it->get<double>(), time_unit});
  for (const auto& [key, value] : r.items())
    if (!is_run_field(key) && value.is_number())
      run.figures.push_back({key, value.get<double>(), ratio ? "fraction" : counter_unit(key)});
  return run;
}

}  // namespace

BenchImport parse_benchmark_json(const std::string& json_text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    throw common::RunError(source + ": not JSON from --benchmark_format=json (" + e.what() + ")");
  }
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    throw common::RunError(source + ": no \"benchmarks\" array; not Google Benchmark JSON output");
  BenchImport out;
  if (auto ctx = doc.find("context"); ctx != doc.end() && ctx->is_object()) {
    for (const auto& [key, value] : ctx->items()) {
      if (value.is_string())
        out.context.emplace_back(key, value.get<std::string>());
      else if (value.is_number() || value.is_boolean())
        out.context.emplace_back(key, value.dump());
    }
  }
  for (const auto& r : doc["benchmarks"]) {
    if (!r.is_object()) continue;
    if (r.value("error_occurred", false)) {
      out.errors.push_back(string_or(r, "name", "?") + ": " + string_or(r, "error_message", "failed"));
      continue;
    }
    out.runs.push_back(parse_run(r));
  }
  return out;
}

std::vector<results::BenchmarkRecord> to_benchmark_records(const BenchImport& import, const BenchSource& source) {
  results::Provenance p = source.provenance;
  std::string wait_policy, spin_count;  // not provenance columns: they go with the figure's parameters
  for (const auto& [key, value] : import.context) {
    if (key == "hecto_commit") {
      const std::string suffix = "-dirty";
      p.git_dirty =
          value.size() > suffix.size() && value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0;
      p.git_commit = p.git_dirty ? value.substr(0, value.size() - suffix.size()) : value;
    } else if (key == "libtorch") {
      p.torch_version = value;
    } else if (key == "blas") {
      p.blas = value;
    } else if (key == "blas_core") {
      p.blas_core = value;
    } else if (key == "torch_threads") {
      try {
        p.threads = std::stoi(value);
      } catch (const std::exception&) {
      }
    } else if (key == "cpu") {
      p.cpu_model = value;
    } else if (key == "host_name") {
      p.host = value;
    } else if (key == "omp_wait_policy") {
      wait_policy = value;
    } else if (key == "gomp_spincount") {
      spin_count = value;
    }
  }
  std::vector<results::BenchmarkRecord> out;
  for (const auto& run : import.runs) {
    for (const auto& f : run.figures) {
      results::BenchmarkRecord r;
      r.name = run.name + " " + f.figure;
      r.value = f.value;
      r.unit = f.unit;
      json params = {{"binary", source.binary},
                     {"benchmark", run.run_name},
                     {"figure", f.figure},
                     {"iterations", run.iterations},
                     {"threads", run.threads}};
      if (!run.label.empty()) params["label"] = run.label;
      if (!run.aggregate.empty()) params["aggregate"] = run.aggregate;
      if (source.min_time > 0) params["min_time"] = source.min_time;
      if (!wait_policy.empty()) params["omp_wait_policy"] = wait_policy;
      if (!spin_count.empty()) params["gomp_spincount"] = spin_count;
      r.params_json = params.dump();
      r.provenance = p;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace hecto::bench
