#pragma once
// Word vectors for the encoder's word embeddings, learnt on the pretraining corpus before any
// transformer training: skip-gram with negative sampling (Mikolov et al., 2013) over WordPiece
// tokens, by fastText (Debian's libfasttext) without subword n-grams, which makes it exactly
// word2vec's SGNS. On this budget it is the lever that makes the offline encoder useful: the
// random post-LN layers pass each token's identity through their residual paths, and a
// sequence expert over good word vectors does well (docs/pretrain.md has the measurements).
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace hecto::pretrain {

struct WordVectorRecipe {
  int dim = 256;
  int epochs = 5;
  int window = 5;
  int negatives = 5;
  double sample = 1e-4;  // frequent-token subsampling threshold
  double lr = 0.05;
  uint64_t seed = 0;
};

struct WordVectors {
  torch::Tensor vectors;  // [vocab, dim] fp32; rows of tokens the corpus never holds are zero
  torch::Tensor trained;  // [vocab] bool: rows fastText learnt
  int64_t tokens = 0;     // corpus tokens read
  double seconds = 0;
};

// texts: WordPiece ids, one text each (fastText's line). Trains in one thread, so the same corpus
// and recipe give the same vectors. work_dir holds the temporary input file.
WordVectors train_word_vectors(const std::vector<std::vector<int32_t>>& texts, const text::Tokenizer& tokenizer,
                               const WordVectorRecipe& recipe, const std::string& work_dir);

// Copies the trained rows into `embeddings` [vocab, dim], centred (their mean removed) and scaled
// to per-coordinate RMS `rms`: the position embeddings are N(0, 0.02) and fine-tuning moves a
// frequent token's coordinates by ~0.1, so at RMS 0.3 the geometry survives both. Other rows
// (and [PAD]) stay as they are.
void copy_into_embeddings(const WordVectors& wv, torch::Tensor embeddings, double rms);

}  // namespace hecto::pretrain
