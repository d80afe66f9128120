#pragma once
// The pretraining corpus: texts from the TRAINING splits of the chosen tasks only (never an
// evaluation split, so nothing a table reports on is seen during pretraining), WordPiece ids,
// then packed into full-length sequences as BERT/RoBERTa do ("full sentences"):
//   [CLS] text1 [SEP] text2 [SEP] ... [SEP]
// each sequence filled with consecutive texts; a text that does not fit is split and continues
// after the next sequence's [CLS]. Only the very last sequence is padded.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "text/tokenizer.h"

namespace hecto::pretrain {

struct CorpusTexts {
  std::vector<std::string> texts;
  std::vector<std::string> source_files;  // what the tasks read (absolute)
  std::vector<std::string> notes;         // per task: "agnews: 5000 examples, 5000 texts"
};

// Every text_a and text_b of each task's whole training split (train_size 0); for AG News also the
// 10k-description training file when the data directory has it.
CorpusTexts collect_training_texts(const std::vector<std::string>& task_names, const std::string& data_dir);
// Repeats every text collected so far `times` times in all (the tasks' texts, before general text).
void repeat_texts(CorpusTexts& corpus, int times);
// Appends general English (pretrain/general_text.h): "hotpotqa_context", "wordnet", "gcide".
void add_general_text(CorpusTexts& corpus, const std::vector<std::string>& sources, const std::string& data_dir);
// Each text's WordPiece ids (no [CLS]/[SEP]).
std::vector<std::vector<int32_t>> tokenize_texts(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer);

struct PackedCorpus {
  torch::Tensor ids;        // [N, max_len] int64, padded with pad_id
  torch::Tensor length;     // [N] int64, real tokens per sequence
  int64_t texts = 0;        // texts that produced at least one token
  int64_t text_tokens = 0;  // WordPiece tokens of the texts ([CLS]/[SEP] not counted)
  std::string sha256;       // of ids as little-endian int32, row by row (padding included)
  int64_t sequences() const { return ids.defined() ? ids.size(0) : 0; }
};

PackedCorpus pack_corpus(const std::vector<std::vector<int32_t>>& texts, int max_len, int32_t cls_id, int32_t sep_id,
                         int32_t pad_id);
PackedCorpus build_corpus(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer, int max_len);

}  // namespace hecto::pretrain
