#include "pretrain/corpus.h"

#include <filesystem>
#include <string_view>

#include "common/error.h"
#include "common/sha256.h"
#include "pretrain/general_text.h"
#include "tasks/task.h"

namespace hecto::pretrain {

namespace {
// AG News has a second training-set file: ALPS's 10k descriptions, drawn from the original
// training split (never from test.csv). Experiments train on the 5k sample; pretraining may read both.
constexpr const char* kAgNewsExtraTrain = "ag_news/train_sample_10k_description_only.tsv";

std::vector<std::string> training_files(const std::string& task, const std::string& data_dir) {
  std::vector<std::string> files{""};  // "" = the task's own training file
  if (task == "agnews" && std::filesystem::exists(std::filesystem::path(data_dir) / kAgNewsExtraTrain))
    files.emplace_back(kAgNewsExtraTrain);
  return files;
}
}  // namespace

CorpusTexts collect_training_texts(const std::vector<std::string>& task_names, const std::string& data_dir) {
  CorpusTexts out;
  for (const auto& name : task_names) {
    for (const auto& file : training_files(name, data_dir)) {
      tasks::TaskOptions options;
      options.data_dir = data_dir;
      options.train_file = file;
      options.train_size = 0;  // the whole training file, not the experiments' sample
      const auto split = tasks::make_task(name, options)->load_train();
      int64_t n_texts = 0;
      for (const auto& e : split.examples) {
        for (const auto* t : {&e.text_a, &e.text_b}) {
          if (t->empty()) continue;
          out.texts.push_back(*t);
          ++n_texts;
        }
      }
      out.source_files.insert(out.source_files.end(), split.source_files.begin(), split.source_files.end());
      out.notes.push_back(name + (file.empty() ? "" : " (" + file + ")") + ": " +
                          std::to_string(split.examples.size()) + " training examples, " + std::to_string(n_texts) +
                          " texts");
    }
  }
  return out;
}

PackedCorpus pack_corpus(const std::vector<std::vector<int32_t>>& texts, int max_len, int32_t cls_id, int32_t sep_id,
                         int32_t pad_id) {
  if (max_len < 3) throw common::InputError({}, "max_len " + std::to_string(max_len) + " is too short to pack", ">= 3");
  std::vector<int32_t> flat;  // finished sequences, each exactly max_len long
  std::vector<int64_t> lengths;
  std::vector<int32_t> cur{cls_id};
  auto emit = [&] {
    lengths.push_back(static_cast<int64_t>(cur.size()));
    cur.resize(max_len, pad_id);
    flat.insert(flat.end(), cur.begin(), cur.end());
    cur.assign(1, cls_id);
  };
  PackedCorpus packed;
  for (const auto& text : texts) {
    if (text.empty()) continue;
    ++packed.texts;
    packed.text_tokens += static_cast<int64_t>(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
      // Room for at least one token and its [SEP]; otherwise this sequence is full.
      const int64_t room = max_len - static_cast<int64_t>(cur.size()) - 1;
      if (room < 1) {
        emit();
        continue;
      }
      const size_t take = std::min<size_t>(static_cast<size_t>(room), text.size() - pos);
      cur.insert(cur.end(), text.begin() + static_cast<long>(pos), text.begin() + static_cast<long>(pos + take));
      cur.push_back(sep_id);
      pos += take;
      if (static_cast<int>(cur.size()) >= max_len - 1) emit();
    }
  }
  if (cur.size() > 1) emit();

  const auto n = static_cast<int64_t>(lengths.size());
  auto ids32 = torch::from_blob(flat.data(), {n, max_len}, torch::kInt32).clone();
  packed.sha256 = common::sha256_hex(
      std::string_view(reinterpret_cast<const char*>(ids32.data_ptr<int32_t>()), flat.size() * sizeof(int32_t)));
  packed.ids = ids32.to(torch::kLong);
  packed.length = torch::from_blob(lengths.data(), {n}, torch::kLong).clone();
  return packed;
}

std::vector<std::vector<int32_t>> tokenize_texts(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer) {
  std::vector<std::vector<int32_t>> ids;
  ids.reserve(texts.size());
  for (const auto& t : texts) ids.push_back(tokenizer.tokenize_ids(t));
  return ids;
}

PackedCorpus build_corpus(const std::vector<std::string>& texts, const text::Tokenizer& tokenizer, int max_len) {
  return pack_corpus(tokenize_texts(texts, tokenizer), max_len, tokenizer.cls_id(), tokenizer.sep_id(),
                     tokenizer.pad_id());
}

void repeat_texts(CorpusTexts& corpus, int times) {
  if (times <= 1) return;
  const auto once = corpus.texts;
  corpus.texts.reserve(once.size() * static_cast<size_t>(times));
  for (int i = 1; i < times; ++i) corpus.texts.insert(corpus.texts.end(), once.begin(), once.end());
  corpus.notes.push_back("the tasks' training texts " + std::to_string(times) + " times: " +
                         std::to_string(corpus.texts.size()) + " texts");
}

void add_general_text(CorpusTexts& corpus, const std::vector<std::string>& sources, const std::string& data_dir) {
  for (const auto& source : sources) {
    std::vector<std::string> texts;
    if (source == "hotpotqa_context") texts = hotpot_paragraphs(data_dir);
    else if (source == "wordnet") texts = wordnet_glosses();
    else if (source == "gcide") texts = gcide_definitions();
    else throw common::InputError({}, "unknown general text source '" + source + "'", "hotpotqa_context, wordnet or gcide");
    corpus.notes.push_back(source + ": " + std::to_string(texts.size()) + " texts");
    corpus.texts.insert(corpus.texts.end(), std::make_move_iterator(texts.begin()), std::make_move_iterator(texts.end()));
  }
}

}  // namespace hecto::pretrain
