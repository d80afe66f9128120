#include "floors/tfidf.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace hecto::floors {

namespace {

// Python's \w: letters, digits and other numbers, and the underscore.
bool is_word_char(utf8proc_int32_t c) {
  if (c == '_') return true;
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

void append_utf8(std::string& out, utf8proc_int32_t c) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(c, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

}  // namespace

std::vector<std::string> word_tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  size_t chars = 0;
  const auto flush = [&] {
    if (chars >= 2) tokens.push_back(current);
    current.clear();
    chars = 0;
  };
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
    if (n <= 0) {  // invalid byte: a separator, like Python's replacement character
      n = 1;
      c = -1;
    }
    if (c >= 0 && is_word_char(c)) {
      append_utf8(current, utf8proc_tolower(c));
      ++chars;
    } else {
      flush();
    }
    p += n;
    left -= n;
  }
  flush();
  return tokens;
}

std::vector<std::string> word_ngrams(const std::vector<std::string>& tokens, int max_n) {
  std::vector<std::string> out(tokens);
  for (int n = 2; n <= max_n; ++n)
    for (size_t i = 0; i + n <= tokens.size(); ++i) {
      std::string gram = tokens[i];
      for (int k = 1; k < n; ++k) gram += " " + tokens[i + k];
      out.push_back(std::move(gram));
    }
  return out;
}

void TfidfVectorizer::fit(const std::vector<std::string>& documents) {
  std::map<std::string, int64_t> df;  // sorted, as scikit-learn numbers its features
  for (const auto& d : documents) {
    auto grams = word_ngrams(word_tokens(d), max_ngram_);
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    for (const auto& g : grams) ++df[g];
  }
  vocabulary_.clear();
  idf_.clear();
  const double n = static_cast<double>(documents.size());
  for (const auto& [term, count] : df) {
    vocabulary_.emplace(term, static_cast<int32_t>(idf_.size()));
    idf_.push_back(std::log((1.0 + n) / (1.0 + static_cast<double>(count))) + 1.0);
  }
}

SparseVector TfidfVectorizer::transform(const std::string& document) const {
  std::map<int32_t, int64_t> counts;
  for (const auto& g : word_ngrams(word_tokens(document), max_ngram_))
    if (auto it = vocabulary_.find(g); it != vocabulary_.end()) ++counts[it->second];
  SparseVector row;
  double norm = 0;
  for (const auto& [index, count] : counts) {
    const double v = (1.0 + std::log(static_cast<double>(count))) * idf_[static_cast<size_t>(index)];
    row.emplace_back(index, v);
    norm += v * v;
  }
  norm = std::sqrt(norm);
  if (norm > 0)
    for (auto& [index, v] : row) v /= norm;
  return row;
}

double TfidfVectorizer::idf(const std::string& term) const {
  auto it = vocabulary_.find(term);
  return it == vocabulary_.end() ? 0.0 : idf_[static_cast<size_t>(it->second)];
}

double dot(const SparseVector& a, const SparseVector& b) {
  double s = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) s += a[i++].second * b[j++].second;
    else if (a[i].first < b[j].first) ++i;
    else ++j;
  }
  return s;
}

}  // namespace hecto::floors
