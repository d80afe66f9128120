#include "text/tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/sha256.h"

namespace hecto::text {

namespace {

using common::InputError;

constexpr size_t kMaxCharsPerWord = 100;  // HF max_input_chars_per_word
constexpr std::array<std::string_view, 5> kSpecialTokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

// Decodes one code point at s[i] and advances i. An ill-formed sequence yields U+FFFD and
// advances past its maximal well-formed prefix (at least one byte), as Python's
// bytes.decode("utf-8", "replace") does; BERT's cleaning then drops U+FFFD. Never reads past s.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    ++i;
    return 0xFFFD;
  }
  size_t k = i + 1;
  for (int n = 0; n < need; ++n, ++k) {
    const unsigned char lower = n == 0 ? lo : 0x80, upper = n == 0 ? hi : 0xBF;
    if (k >= s.size() || byte(k) < lower || byte(k) > upper) {
      i = k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(k) & 0x3F);
  }
  i = k;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// What BERT's basic tokenizer does with an ASCII byte; a table keeps the common case branch-light.
enum class AsciiKind : unsigned char { drop, space, punct, plain };
constexpr std::array<AsciiKind, 128> make_ascii_kinds() {
  std::array<AsciiKind, 128> k{};
  for (int c = 0; c < 128; ++c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      k[c] = AsciiKind::space;
    else if (c < 32 || c == 127)
      k[c] = AsciiKind::drop;  // NUL and the other Cc controls
    else if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
      k[c] = AsciiKind::punct;
    else
      k[c] = AsciiKind::plain;
  }
  return k;
}
constexpr auto kAsciiKinds = make_ascii_kinds();

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_other_category(int cat) {  // Unicode C*: Cn Cc Cf Cs Co
  return cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
         cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_CO;
}

bool is_punct_category(int cat) { return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO; }

bool is_punctuation(char32_t c) {
  if (c < 128) return kAsciiKinds[c] == AsciiKind::punct;
  return is_punct_category(utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->category);
}

uint32_t hash_bytes(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return static_cast<uint32_t>(h ^ (h >> 32));
}

std::string_view index_key(const std::string& token, bool continuation) {
  return continuation ? std::string_view(token).substr(2) : std::string_view(token);
}

// Collects the words of one text: whitespace and punctuation end a word, punctuation and CJK
// ideographs are words of their own. Each finished word goes to on_word.
template <class OnWord>
class WordSplitter {
 public:
  WordSplitter(std::vector<char32_t>& word, bool lower_case, OnWord on_word)
      : word_(word), lower_case_(lower_case), on_word_(on_word) {
    word_.clear();
  }

  void feed(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      const auto b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        ++i;
        switch (kAsciiKinds[b]) {
          case AsciiKind::drop:
            break;
          case AsciiKind::space:
            flush();
            break;
          case AsciiKind::punct:
            single(b);
            break;
          case AsciiKind::plain:
            word_.push_back(lower_case_ && b >= 'A' && b <= 'Z' ? b + 32 : b);
            run_start_ = word_.size();
            break;
        }
        continue;
      }
      feed_non_ascii(next_code_point(text, i));
    }
    flush();
  }

 private:
  void feed_non_ascii(char32_t c) {
    if (c == 0xFFFD) return;
    const int cat = utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->category;
    if (is_other_category(cat)) return;
    // Zs is BERT's whitespace; Zl/Zp survive its cleaning but Python's str.split() splits on them.
    if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP) {
      flush();
      return;
    }
    if (is_cjk(c)) {
      flush();
      add_normalized(c);
      flush();
      return;
    }
    add_normalized(c);
  }

  // Lower-case, NFD, drop Mn (uncased BERT); then split off punctuation, which HF checks after
  // normalization. Cased: characters go through as they are and words get NFC in append_word_ids.
  void add_normalized(char32_t c) {
    if (!lower_case_) {
      if (is_punctuation(c))
        single(c);
      else
        word_.push_back(c);
      return;
    }
    // U+0130 lower-cases to "i" + U+0307 in Python; the combining dot is stripped anyway.
    const auto lowered = c == 0x130 ? U'i' : static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
    std::array<utf8proc_int32_t, 8> parts;
    int last_boundclass = 0;
    auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(lowered), parts.data(), parts.size(),
                                     UTF8PROC_DECOMPOSE, &last_boundclass);
    if (n <= 0 || n > static_cast<utf8proc_ssize_t>(parts.size())) {  // cannot happen for NFD; be safe
      parts[0] = static_cast<utf8proc_int32_t>(lowered);
      n = 1;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      const auto d = static_cast<char32_t>(parts[k]);
      const auto* prop = utf8proc_get_property(parts[k]);
      if (prop->category == UTF8PROC_CATEGORY_MN) {
        if (prop->combining_class == 0) run_start_ = word_.size();  // a starter still ends a reorder run
        continue;
      }
      if (is_punct_category(prop->category) || (d < 128 && kAsciiKinds[d] == AsciiKind::punct)) {
        single(d);
        continue;
      }
      if (prop->combining_class == 0) {
        word_.push_back(d);
        run_start_ = word_.size();
        continue;
      }
      // NFD's canonical ordering among the few non-Mn combining characters (e.g. U+1D165).
      size_t pos = word_.size();
      while (pos > run_start_ && utf8proc_get_property(static_cast<utf8proc_int32_t>(word_[pos - 1]))->combining_class >
                                     prop->combining_class)
        --pos;
      word_.insert(word_.begin() + static_cast<std::ptrdiff_t>(pos), d);
    }
  }

  void single(char32_t c) {
    flush();
    word_.push_back(c);
    flush();
  }

  void flush() {
    if (!word_.empty()) on_word_(word_);
    word_.clear();
    run_start_ = 0;
  }

  std::vector<char32_t>& word_;
  bool lower_case_;
  OnWord on_word_;
  size_t run_start_ = 0;  // start of the current run of non-starters, for canonical reordering
};

// Reads vocab.txt like HF's load_vocab: Python text mode (universal newlines), one token a line.
std::vector<std::string> read_vocab_lines(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot open the vocabulary file", "a readable BERT vocab.txt");
  std::ostringstream ss;
  ss << in.rdbuf();
  bytes = ss.str();
  if (bytes.empty()) throw InputError({path}, "the vocabulary file is empty", "one WordPiece token per line");
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != '\n' && bytes[i] != '\r') continue;
    lines.emplace_back(bytes, start, i - start);
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < bytes.size()) lines.emplace_back(bytes, start, bytes.size() - start);
  for (size_t n = 0; n < lines.size(); ++n) {
    const auto& line = lines[n];
    for (size_t i = 0; i < line.size();) {
      const size_t at = i;
      if (next_code_point(line, i) == 0xFFFD && line.compare(at, 3, "\xEF\xBF\xBD") != 0)
        throw InputError({path, static_cast<long>(n + 1), static_cast<long>(at + 1)}, "invalid UTF-8 in the vocabulary",
                         "UTF-8 text");
    }
  }
  return lines;
}

void build_index(const std::vector<std::string>& tokens, bool continuation, auto& index) {
  size_t count = 0;
  for (const auto& t : tokens) count += (t.rfind("##", 0) == 0) == continuation;
  size_t size = 16;
  while (size < 2 * count + 1) size *= 2;
  index.slots.assign(size, {});
  index.mask = size - 1;
  for (size_t id = 0; id < tokens.size(); ++id) {
    if ((tokens[id].rfind("##", 0) == 0) != continuation) continue;
    const auto key = index_key(tokens[id], continuation);
    const uint32_t h = hash_bytes(key);
    for (size_t s = h & index.mask;; s = (s + 1) & index.mask) {
      auto& slot = index.slots[s];
      // A repeated token keeps its last line's id, as HF's dict does.
      if (slot.id < 0 || (slot.hash == h && index_key(tokens[slot.id], continuation) == key)) {
        slot.id = static_cast<int32_t>(id);
        slot.hash = h;
        break;
      }
    }
  }
}

}  // namespace

Tokenizer Tokenizer::from_file(const std::string& vocab_path, bool lower_case) {
  Tokenizer t;
  std::string bytes;
  t.id_to_token_ = read_vocab_lines(vocab_path, bytes);
  t.lower_case_ = lower_case;
  t.vocab_path_ = vocab_path;
  t.vocab_sha256_ = common::sha256_hex(bytes);
  t.build_indexes();
  int32_t* ids[] = {&t.pad_id_, &t.unk_id_, &t.cls_id_, &t.sep_id_, &t.mask_id_};
  for (size_t k = 0; k < kSpecialTokens.size(); ++k) {
    const int32_t id = t.find_piece(kSpecialTokens[k], false);
    if (id < 0)
      throw InputError({vocab_path}, "the vocabulary has no " + std::string(kSpecialTokens[k]) + " token",
                       "a BERT vocab.txt with [PAD], [UNK], [CLS], [SEP] and [MASK]");
    *ids[k] = id;
  }
  return t;
}

void Tokenizer::build_indexes() {
  build_index(id_to_token_, false, whole_index_);
  build_index(id_to_token_, true, continuation_index_);
  longest_piece_bytes_ = 0;
  for (const auto& t : id_to_token_) longest_piece_bytes_ = std::max(longest_piece_bytes_, t.size());
}

int32_t Tokenizer::find_piece(std::string_view piece, bool continuation) const {
  const auto& index = continuation ? continuation_index_ : whole_index_;
  if (index.slots.empty()) return -1;  // a default-constructed Tokenizer knows no pieces
  const uint32_t h = hash_bytes(piece);
  for (size_t s = h & index.mask;; s = (s + 1) & index.mask) {
    const auto& slot = index.slots[s];
    if (slot.id < 0) return -1;
    if (slot.hash == h && index_key(id_to_token_[slot.id], continuation) == piece) return slot.id;
  }
}

void Tokenizer::append_word_ids(const std::vector<char32_t>& word, std::vector<int32_t>& out) const {
  thread_local std::string bytes;
  thread_local std::vector<uint32_t> offsets;  // byte offset of each character, plus the end
  bytes.clear();
  offsets.clear();
  if (lower_case_) {
    if (word.size() > kMaxCharsPerWord) {
      out.push_back(unk_id_);
      return;
    }
    for (char32_t c : word) {
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
      append_utf8(bytes, c);
    }
  } else {  // cased BERT normalizes each word to NFC instead
    std::string raw;
    for (char32_t c : word) append_utf8(raw, c);
    auto* nfc = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(raw.c_str()));
    std::string composed = nfc ? reinterpret_cast<const char*>(nfc) : raw;
    std::free(nfc);
    for (size_t i = 0; i < composed.size();) {
      offsets.push_back(static_cast<uint32_t>(bytes.size()));
      append_utf8(bytes, next_code_point(composed, i));
    }
    if (offsets.size() > kMaxCharsPerWord) {
      out.push_back(unk_id_);
      return;
    }
  }
  const size_t n = offsets.size();
  offsets.push_back(static_cast<uint32_t>(bytes.size()));
  const size_t first = out.size();
  const std::string_view text(bytes);
  for (size_t start = 0; start < n;) {
    const size_t budget = longest_piece_bytes_ - (start > 0 ? 2 : 0);
    size_t end = n;
    while (end > start && offsets[end] - offsets[start] > budget) --end;
    int32_t id = -1;
    for (; end > start; --end) {
      id = find_piece(text.substr(offsets[start], offsets[end] - offsets[start]), start > 0);
      if (id >= 0) break;
    }
    if (id < 0) {  // some piece has no match: the whole word is unknown
      out.resize(first);
      out.push_back(unk_id_);
      return;
    }
    out.push_back(id);
    start = end;
  }
}

void Tokenizer::append_segment_ids(std::string_view text, std::vector<int32_t>& out) const {
  thread_local std::vector<char32_t> word;
  auto on_word = [this, &out](const std::vector<char32_t>& w) { append_word_ids(w, out); };
  WordSplitter<decltype(on_word)> splitter(word, lower_case_, on_word);
  splitter.feed(text);
}

void Tokenizer::append_ids(std::string_view text, std::vector<int32_t>& out) const {
  // Special tokens written literally in the text stay whole, as HF's added-token split does.
  const int32_t special_ids[] = {pad_id_, unk_id_, cls_id_, sep_id_, mask_id_};
  size_t done = 0;
  for (size_t at = text.find('['); at != std::string_view::npos; at = text.find('[', at + 1)) {
    for (size_t k = 0; k < kSpecialTokens.size(); ++k) {
      if (text.compare(at, kSpecialTokens[k].size(), kSpecialTokens[k]) != 0) continue;
      append_segment_ids(text.substr(done, at - done), out);
      out.push_back(special_ids[k]);
      done = at + kSpecialTokens[k].size();
      at = done - 1;
      break;
    }
  }
  append_segment_ids(text.substr(done), out);
}

std::vector<int32_t> Tokenizer::tokenize_ids(std::string_view text) const {
  std::vector<int32_t> ids;
  append_ids(text, ids);
  return ids;
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens;
  for (int32_t id : tokenize_ids(text)) tokens.push_back(id_to_token_[id]);
  return tokens;
}

Encoding Tokenizer::encode(std::string_view text, int max_len) const {
  if (max_len > 0 && max_len < 2)
    throw InputError({}, "max_len " + std::to_string(max_len) + " leaves no room for [CLS] and [SEP]",
                     "max_len >= 2, or <= 0 for no limit");
  Encoding e;
  e.ids.push_back(cls_id_);
  append_ids(text, e.ids);
  if (max_len > 0 && e.ids.size() + 1 > static_cast<size_t>(max_len)) e.ids.resize(max_len - 1);
  e.ids.push_back(sep_id_);
  e.type_ids.assign(e.ids.size(), 0);
  return e;
}

Encoding Tokenizer::encode_pair(std::string_view a, std::string_view b, int max_len) const {
  if (max_len > 0 && max_len < 3)
    throw InputError({}, "max_len " + std::to_string(max_len) + " leaves no room for [CLS] a [SEP] b [SEP]",
                     "max_len >= 3, or <= 0 for no limit");
  std::vector<int32_t> ids_a, ids_b;
  append_ids(a, ids_a);
  append_ids(b, ids_b);
  if (max_len > 0) {
    const size_t budget = static_cast<size_t>(max_len) - 3;
    const size_t la = ids_a.size(), lb = ids_b.size();
    if (la + lb > budget) {
      // The closed form of HF's loop: drop from the longer side, from b when they are equal.
      const size_t remove = la + lb - budget;
      const size_t first = std::min(la > lb ? la - lb : lb - la, remove);
      const size_t rest = remove - first;
      const size_t from_a = la > lb ? first + rest / 2 : rest / 2;
      ids_a.resize(la - from_a);
      ids_b.resize(lb - (remove - from_a));
    }
  }
  Encoding e;
  e.ids.reserve(ids_a.size() + ids_b.size() + 3);
  e.ids.push_back(cls_id_);
  e.ids.insert(e.ids.end(), ids_a.begin(), ids_a.end());
  e.ids.push_back(sep_id_);
  e.type_ids.assign(e.ids.size(), 0);
  e.ids.insert(e.ids.end(), ids_b.begin(), ids_b.end());
  e.ids.push_back(sep_id_);
  e.type_ids.resize(e.ids.size(), 1);
  return e;
}

int32_t Tokenizer::token_to_id(const std::string& token) const {
  const bool continuation = token.rfind("##", 0) == 0;
  const int32_t id =
      find_piece(continuation ? std::string_view(token).substr(2) : std::string_view(token), continuation);
  return id < 0 ? unk_id_ : id;
}

const std::string& Tokenizer::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= id_to_token_.size())
    throw InputError({}, "token id " + std::to_string(id) + " is outside the vocabulary",
                     "0 .. " + std::to_string(static_cast<long>(id_to_token_.size()) - 1));
  return id_to_token_[id];
}

}  // namespace hecto::text
