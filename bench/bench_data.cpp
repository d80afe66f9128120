#include "bench/bench_data.h"

#include <filesystem>
#include <random>

#include "tasks/agnews_loader.h"
#include "tasks/glue_loaders.h"
#include "tasks/task.h"

namespace hecto::bench {

namespace fs = std::filesystem;

const std::string& data_dir() {
  static const std::string dir = [] {
    try {
      return tasks::resolve_data_dir("");
    } catch (const std::exception&) {
      return (fs::path(__FILE__).parent_path().parent_path().parent_path() / "shared" / "data").string();
    }
  }();
  return dir;
}

const text::Tokenizer& tokenizer() {
  static const auto t = text::Tokenizer::from_file(tasks::default_vocab_path(data_dir()));
  return t;
}

namespace {

// A missing file gives no texts (the benchmark reports it) instead of aborting the whole binary.
std::vector<std::string> texts_of(const std::string& path, std::vector<tasks::Example> (*load)(const std::string&)) {
  std::vector<std::string> out;
  if (!fs::exists(path)) return out;
  for (auto& e : load(path)) out.push_back(std::move(e.text_a));
  return out;
}

}  // namespace

const std::vector<std::string>& agnews_test_texts() {
  static const auto t = texts_of(data_dir() + "/ag_news/test.csv", tasks::load_agnews_file);
  return t;
}

const std::vector<std::string>& sst2_train_texts() {
  static const auto t = texts_of(data_dir() + "/sst2/train.tsv", tasks::load_sst2_file);
  return t;
}

bool require_texts(benchmark::State& state, const std::vector<std::string>& texts) {
  if (!texts.empty()) return true;
  state.SkipWithError(("no texts under " + data_dir() + ": set HECTO_DATA_DIR").c_str());
  return false;
}

const std::vector<text::Encoding>& agnews_encodings() {
  static const auto encodings = [] {
    std::vector<text::Encoding> out;
    for (const auto& t : agnews_test_texts()) out.push_back(tokenizer().encode(t, 128));
    return out;
  }();
  return encodings;
}

std::vector<std::vector<const text::Encoding*>> random_batches(const std::vector<text::Encoding>& pool, int64_t batch,
                                                               int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
  std::vector<std::vector<const text::Encoding*>> out(count);
  for (auto& b : out)
    for (int64_t i = 0; i < batch; ++i) b.push_back(&pool[pick(rng)]);
  return out;
}

model::EncoderConfig distilbert_base() { return model::EncoderConfig::distilbert_base(); }

model::EncoderConfig offline_encoder() {
  model::EncoderConfig c;
  c.dim = 256;
  c.n_layers = 4;
  c.n_heads = 4;
  c.hidden_dim = 1024;
  return c;
}

std::string encoder_label(const model::EncoderConfig& config, c10::ScalarType dtype) {
  return config.describe() + (dtype == c10::ScalarType::BFloat16 ? ", bf16" : "");
}

double encoder_forward_flops(const model::EncoderConfig& c, int64_t batch, int64_t tokens) {
  const double n = static_cast<double>(batch * tokens), d = c.dim, h = c.hidden_dim;
  const double projections = 4 * 2 * n * d * d;                          // Q, K, V, output
  const double ffn = 2 * 2 * n * d * h;                                  // d -> h -> d
  const double attention = 2 * 2 * n * static_cast<double>(tokens) * d;  // Q K^T and softmax(.) V, all heads
  return c.n_layers * (projections + ffn + attention);
}

void set_encoder_counters(benchmark::State& state, double valid_tokens, double padded_tokens, double flops,
                          double samples) {
  using benchmark::Counter;
  state.counters["tokens/s"] = Counter(valid_tokens, Counter::kIsRate);
  state.counters["padded_len"] = padded_tokens / samples;
  state.counters["pad_fraction"] = 1.0 - valid_tokens / padded_tokens;
  state.counters["GFLOP/s"] = Counter(flops / 1e9, Counter::kIsRate);
}

}  // namespace hecto::bench
