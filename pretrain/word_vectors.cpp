#include "pretrain/word_vectors.h"

#include <fasttext/fasttext.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace hecto::pretrain {

namespace fs = std::filesystem;

namespace {

// One text a line, tokens as their WordPiece strings: what fastText reads.
int64_t write_input(const fs::path& path, const std::vector<std::vector<int32_t>>& texts, const text::Tokenizer& tok) {
  std::ofstream out(path);
  int64_t tokens = 0;
  for (const auto& ids : texts) {
    if (ids.empty()) continue;
    for (size_t i = 0; i < ids.size(); ++i) out << (i ? " " : "") << tok.id_to_token(ids[i]);
    out << '\n';
    tokens += static_cast<int64_t>(ids.size());
  }
  if (!out) throw common::RunError("cannot write the word-vector corpus " + path.string());
  return tokens;
}

fasttext::Args skipgram_args(const WordVectorRecipe& r, const std::string& input) {
  fasttext::Args a;
  a.input = input;
  a.output = "";
  a.model = fasttext::model_name::sg;
  a.loss = fasttext::loss_name::ns;
  a.dim = r.dim;
  a.epoch = r.epochs;
  a.ws = r.window;
  a.neg = r.negatives;
  a.t = r.sample;
  a.lr = r.lr;
  a.minCount = 1;
  a.minn = 0;  // no character n-grams: plain word2vec over WordPiece tokens
  a.maxn = 0;
  a.bucket = 0;
  a.wordNgrams = 1;
  a.thread = 1;  // one thread: the same corpus gives the same vectors
  a.seed = static_cast<int>(r.seed);
  a.verbose = 0;
  return a;
}

}  // namespace

WordVectors train_word_vectors(const std::vector<std::vector<int32_t>>& texts, const text::Tokenizer& tokenizer,
                               const WordVectorRecipe& recipe, const std::string& work_dir) {
  const auto start = std::chrono::steady_clock::now();
  fs::create_directories(work_dir);
  const fs::path input = fs::path(work_dir) / "word-vectors.txt";
  WordVectors wv;
  wv.tokens = write_input(input, texts, tokenizer);
  fasttext::FastText ft;
  ft.train(skipgram_args(recipe, input.string()));
  fs::remove(input);

  const int64_t vocab = static_cast<int64_t>(tokenizer.vocab_size());
  wv.vectors = torch::zeros({vocab, recipe.dim});
  wv.trained = torch::zeros({vocab}, torch::kBool);
  const auto dict = ft.getDictionary();
  fasttext::Vector v(recipe.dim);
  for (int32_t w = 0; w < dict->nwords(); ++w) {
    const std::string token = dict->getWord(w);
    const int32_t id = tokenizer.token_to_id(token);
    if (id == tokenizer.unk_id() && token != "[UNK]") continue;  // fastText's end-of-line marker </s>
    ft.getWordVector(v, token);
    wv.vectors[id].copy_(torch::from_blob(v.data(), {recipe.dim}, torch::kFloat32));
    wv.trained[id] = true;
  }
  wv.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("pretrain: skip-gram vectors for {} tokens over {} corpus tokens in {:.0f}s",
               wv.trained.sum().item<int64_t>(), wv.tokens, wv.seconds);
  return wv;
}

void copy_into_embeddings(const WordVectors& wv, torch::Tensor embeddings, double rms) {
  torch::NoGradGuard no_grad;
  const auto rows = wv.trained.nonzero().squeeze(1);
  if (rows.numel() == 0) return;
  auto v = wv.vectors.index_select(0, rows);
  v = v - v.mean(0, /*keepdim=*/true);
  v = v * (rms / v.pow(2).mean().sqrt().clamp_min(1e-12));
  embeddings.index_copy_(0, rows.to(embeddings.device()), v.to(embeddings.device(), embeddings.scalar_type()));
}

}  // namespace hecto::pretrain
