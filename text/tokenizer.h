#pragma once
// BERT uncased WordPiece, behaving exactly like Hugging Face's BertTokenizer(do_lower_case=True):
// clean text, whitespace split, lower-case + NFD + strip accents (utf8proc), split punctuation
// (Unicode P* and the ASCII symbol ranges BERT treats as punctuation), CJK characters as
// separate words, then greedy longest-match WordPiece with "##" continuations; a word longer
// than 100 characters, or with no match, becomes [UNK]. No torch here: the tokenizer is used by
// loaders and caches that must stay light.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hecto::text {

// One encoded text (or pair), unpadded: [CLS] a [SEP] (b [SEP]).
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<int8_t> type_ids;  // 0 for the first segment, 1 for the second
};

class Tokenizer {
 public:
  // Reads a vocab.txt (one token per line, id = line number). Throws InputError on a bad file.
  static Tokenizer from_file(const std::string& vocab_path, bool lower_case = true);

  // Basic tokenization + WordPiece: the word pieces as strings.
  std::vector<std::string> tokenize(std::string_view text) const;
  std::vector<int32_t> tokenize_ids(std::string_view text) const;

  // Single text: [CLS] tokens [SEP], truncated so the whole is at most max_len ids
  // (max_len <= 0: no limit; 1 is too small and throws InputError).
  Encoding encode(std::string_view text, int max_len) const;
  // Pair: [CLS] a [SEP] b [SEP], truncated longest-first to at most max_len ids: one token at a
  // time from the end of the longer side, from b on a tie (HF 'longest_first').
  Encoding encode_pair(std::string_view a, std::string_view b, int max_len) const;

  int32_t token_to_id(const std::string& token) const;  // [UNK]'s id when absent
  const std::string& id_to_token(int32_t id) const;
  size_t vocab_size() const { return id_to_token_.size(); }

  int32_t pad_id() const { return pad_id_; }
  int32_t unk_id() const { return unk_id_; }
  int32_t cls_id() const { return cls_id_; }
  int32_t sep_id() const { return sep_id_; }
  int32_t mask_id() const { return mask_id_; }
  const std::string& vocab_path() const { return vocab_path_; }
  const std::string& vocab_sha256() const { return vocab_sha256_; }

 private:
  // Open-addressing table from piece text to id. It stores ids (not text), so copies of the
  // Tokenizer stay valid, and it looks up a std::string_view without building a string.
  struct PieceIndex {
    struct Slot {
      int32_t id = -1;
      uint32_t hash = 0;
    };
    std::vector<Slot> slots;
    size_t mask = 0;
  };
  void build_indexes();
  int32_t find_piece(std::string_view piece, bool continuation) const;  // -1 when absent
  // Basic tokenization + WordPiece of one text, appending ids to out.
  void append_ids(std::string_view text, std::vector<int32_t>& out) const;
  void append_segment_ids(std::string_view text, std::vector<int32_t>& out) const;
  void append_word_ids(const std::vector<char32_t>& word, std::vector<int32_t>& out) const;

  std::vector<std::string> id_to_token_;
  PieceIndex whole_index_;         // pieces that start a word
  PieceIndex continuation_index_;  // "##x" pieces, keyed by x
  size_t longest_piece_bytes_ = 0;
  bool lower_case_ = true;
  int32_t pad_id_ = 0, unk_id_ = 100, cls_id_ = 101, sep_id_ = 102, mask_id_ = 103;
  std::string vocab_path_, vocab_sha256_;
};

}  // namespace hecto::text
