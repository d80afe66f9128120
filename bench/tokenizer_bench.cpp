// Tokenizer throughput on real text: SST-2 train sentences and AG News test articles.
// items_per_second is sentences (or articles) per second on one thread.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/tokenizer.h"

namespace {

namespace fs = std::filesystem;

fs::path data_dir() {
  if (const char* d = std::getenv("HECTO_DATA_DIR"); d && *d) return d;
  if (fs::exists("data/tokenizer")) return "data";
  if (fs::exists("../shared/data/tokenizer")) return "../shared/data";
  return fs::path(__FILE__).parent_path().parent_path().parent_path() / "shared" / "data";  // beside the checkout
}

const hecto::model::Tokenizer& tokenizer() {
  static const auto t =
      hecto::model::Tokenizer::from_file((data_dir() / "tokenizer" / "bert-base-uncased" / "vocab.txt").string());
  return t;
}

// sst2/train.tsv: "sentence<TAB>label" with a header line.
const std::vector<std::string>& sst2() {
  static const auto texts = [] {
    std::vector<std::string> out;
    std::ifstream in(data_dir() / "sst2" / "train.tsv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) out.push_back(line.substr(0, line.rfind('\t')));
    return out;
  }();
  return texts;
}

// ag_news/test.csv: "class","title","description"; quotes doubled inside fields. Title and
// description joined with a space, as the task does.
const std::vector<std::string>& ag_news() {
  static const auto texts = [] {
    std::vector<std::string> out;
    std::ifstream in(data_dir() / "ag_news" / "test.csv");
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> fields(1);
      bool quoted = false;
      for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          fields.back() += '"';
          ++i;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ',' && !quoted) {
          fields.emplace_back();
        } else {
          fields.back() += c;
        }
      }
      if (fields.size() >= 3) out.push_back(fields[1] + " " + fields[2]);
    }
    return out;
  }();
  return texts;
}

void run_encode(benchmark::State& state, const std::vector<std::string>& texts) {
  if (texts.empty()) {
    state.SkipWithError("no texts found: set HECTO_DATA_DIR");
    return;
  }
  const auto& t = tokenizer();
  size_t tokens = 0;
  for (auto _ : state) {
    for (const auto& s : texts) {
      auto e = t.encode(s, 512);
      tokens += e.ids.size();
      benchmark::DoNotOptimize(e.ids.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
  state.counters["tokens_per_text"] =
      static_cast<double>(tokens) / static_cast<double>(state.iterations() * texts.size());
}

void BM_EncodeSst2Train(benchmark::State& state) { run_encode(state, sst2()); }
void BM_EncodeAgNewsTest(benchmark::State& state) { run_encode(state, ag_news()); }

void BM_LoadVocab(benchmark::State& state) {
  const auto path = (data_dir() / "tokenizer" / "bert-base-uncased" / "vocab.txt").string();
  for (auto _ : state) benchmark::DoNotOptimize(hecto::model::Tokenizer::from_file(path).vocab_size());
}

}  // namespace

BENCHMARK(BM_EncodeSst2Train)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncodeAgNewsTest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadVocab)->Unit(benchmark::kMillisecond);
