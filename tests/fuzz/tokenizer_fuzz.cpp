// Any bytes as text (invalid UTF-8, control characters, huge words): tokenizing never fails, and
// encodings stay within max_len with ids inside the vocabulary and [CLS] ... [SEP] framing.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "tests/fuzz/fuzz_util.h"
#include "text/tokenizer.h"

using hecto::text::Encoding;
using hecto::text::Tokenizer;

namespace {

// The real bert-base-uncased vocabulary when the shared data is there, else a small one.
const Tokenizer& tokenizer() {
  static const Tokenizer t = [] {
    const std::filesystem::path real =
        std::filesystem::path(HECTO_SOURCE_DIR).parent_path() / "shared/data/tokenizer/bert-base-uncased/vocab.txt";
    if (std::filesystem::exists(real)) return Tokenizer::from_file(real.string());
    const std::string vocab =
        "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nfilm\n##s\ngood\nbad\n,\n.\n!\nun\n##like\n##ly\n\xe4\xb8\xad\n";
    return Tokenizer::from_file(hecto::fuzz::write_scratch("vocab.txt", vocab));
  }();
  return t;
}

void check(const Encoding& e, const Tokenizer& t, int max_len) {
  if (e.ids.size() != e.type_ids.size() || e.ids.size() < 2) abort();
  if (max_len > 0 && e.ids.size() > static_cast<size_t>(max_len)) abort();
  if (e.ids.front() != t.cls_id() || e.ids.back() != t.sep_id()) abort();
  for (int32_t id : e.ids)
    if (id < 0 || static_cast<size_t>(id) >= t.vocab_size()) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Tokenizer& t = tokenizer();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& piece : t.tokenize(text))
    if (piece.empty()) abort();
  const int max_len = size > 0 ? 2 + data[0] % 64 : 8;
  check(t.encode(text, max_len), t, max_len);
  check(t.encode(text, 0), t, 0);
  const size_t half = size / 2;
  check(t.encode_pair(text.substr(0, half), text.substr(half), std::max(3, max_len)), t, std::max(3, max_len));
  return 0;
}
