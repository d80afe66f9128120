#pragma once
// Word n-gram TF-IDF as scikit-learn's TfidfVectorizer computes it with ngram_range (1, n),
// sublinear_tf and its defaults: lowercase; tokens are runs of two or more word characters
// (letters, digits, underscore: the pattern (?u)\b\w\w+\b); n-grams join consecutive tokens with
// a space; idf = ln((1 + docs) / (1 + df)) + 1; tf = 1 + ln(count); rows L2-normalised.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hecto::floors {

// Sorted by index, no zeros. Indices are 0-based feature ids.
using SparseVector = std::vector<std::pair<int32_t, double>>;

std::vector<std::string> word_tokens(const std::string& text);
// Every n-gram of 1..max_n tokens, in order.
std::vector<std::string> word_ngrams(const std::vector<std::string>& tokens, int max_n);

class TfidfVectorizer {
 public:
  explicit TfidfVectorizer(int max_ngram = 2) : max_ngram_(max_ngram) {}
  // Learns the vocabulary and document frequencies (every n-gram of the documents).
  void fit(const std::vector<std::string>& documents);
  // n-grams outside the vocabulary are dropped; an empty row stays empty.
  SparseVector transform(const std::string& document) const;
  int32_t size() const { return static_cast<int32_t>(idf_.size()); }
  double idf(const std::string& term) const;  // 0 when the term is unknown

 private:
  int max_ngram_;
  std::unordered_map<std::string, int32_t> vocabulary_;
  std::vector<double> idf_;
};

double dot(const SparseVector& a, const SparseVector& b);

}  // namespace hecto::floors
