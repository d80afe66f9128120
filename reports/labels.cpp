#include "reports/labels.h"

#include <algorithm>
#include <map>

namespace hecto::reports {

namespace {

int rank_in(const std::vector<std::string>& order, const std::string& name) {
  auto it = std::find(order.begin(), order.end(), name);
  return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
}

}  // namespace

MetricSpec metric_spec(const std::string& key) {
  // Stored fractions are shown in percent (the paper's unit); correlations x100, as GLUE reports them.
  static const std::vector<MetricSpec> specs = {
      {"accuracy", "accuracy", "%", 100, 1, 2},
      {"macro_f1", "macro-F1", "%", 100, 1, 2},
      {"f1", "F1", "%", 100, 1, 2},
      {"pearson", "Pearson", "x100", 100, 1, 2},
      {"spearman", "Spearman", "x100", 100, 1, 2},
      {"mse", "MSE", "", 1, 1, 4},
      {"gate_entropy_bits", "gate entropy", "bits", 1, 1, 3},
      {"ffnn_share", "FFNN share", "%", 100, 1, 1},
      {"gru_share", "GRU share", "%", 100, 1, 1},
      {"transformer_share", "Transformer share", "%", 100, 1, 1},
      {"top_expert_share", "top-expert share", "%", 100, 1, 1},
      {"accuracy_delta_vs_hecto", "accuracy vs hecto", "pp", 100, 1, 2},
      {"train_seconds", "train time", "s", 1, 1, 1},
      {"infer_s_per_sample", "inference", "ms/sample", 1000, 1000, 4},
  };
  for (const auto& s : specs)
    if (s.key == key) return s;
  return {key, key, "", 1, 1, 4};
}

std::vector<std::string> task_metrics(const std::string& task) {
  static const std::map<std::string, std::vector<std::string>> metrics = {
      {"agnews", {"accuracy", "macro_f1"}},
      {"sst2", {"accuracy", "f1"}},
      {"hotpotqa", {"accuracy", "macro_f1"}},
      {"stsb", {"pearson", "spearman"}},
  };
  auto it = metrics.find(task);
  return it == metrics.end() ? std::vector<std::string>{"accuracy", "macro_f1", "pearson", "spearman"} : it->second;
}

int task_rank(const std::string& task) {
  return rank_in({"agnews", "sst2", "hotpotqa", "stsb", "order_probe"}, task);
}

int variant_rank(const std::string& variant) {
  return rank_in({"hecto", "ffnn_ffnn", "gru_gru", "no_reg", "top2", "four_experts", "majority", "tfidf", "tfidf_cosine"},
                 variant);
}

int encoder_mode_rank(const std::string& mode) { return rank_in({"finetuned", "frozen"}, mode); }

std::string variant_label(const std::string& variant) {
  static const std::map<std::string, std::string> labels = {
      {"hecto", "hecto (FFNN+GRU)"},    {"ffnn_ffnn", "ffnn_ffnn (FFNN+FFNN)"},
      {"gru_gru", "gru_gru (GRU+GRU)"}, {"no_reg", "no_reg (no regularisers)"},
      {"top2", "top2 (Top-2 routing)"}, {"four_experts", "four_experts (2 FFNN + 2 GRU)"},
      {"majority", "floor: majority class"},  {"tfidf", "floor: TF-IDF + LIBLINEAR"},
      {"tfidf_cosine", "floor: TF-IDF cosine, untrained"},
  };
  auto it = labels.find(variant);
  return it == labels.end() ? variant : it->second;
}

std::string encoder_mode_label(const std::string& mode) {
  if (mode == "finetuned") return "fine-tuned";
  return mode;
}

std::string pooling_label(const std::string& pooling) {
  if (pooling == "cls") return "[CLS] view";
  if (pooling == "mean") return "mean-token view";
  return pooling + " view";
}

std::string task_label(const std::string& task, const std::string& framing) {
  return framing.empty() ? task : task + " (" + framing + ")";
}

std::string class_label(const std::string& task, const std::string& framing, int true_class) {
  if (true_class < 0) return "all (regression)";
  static const std::map<std::string, std::vector<std::string>> names = {
      {"agnews", {"World", "Sports", "Business", "Sci/Tech"}},
      {"sst2", {"negative", "positive"}},
      {"order_probe", {"order: red before blue", "order: blue before red", "presence: cat and dog", "presence: only one"}},
      {"hotpotqa/question_type", {"bridge", "comparison"}},
      {"hotpotqa/", {"bridge", "comparison"}},  // the default framing
      {"hotpotqa/answer_type", {"yes", "no", "span"}},
      {"hotpotqa/supporting_fact", {"not_supporting", "supporting"}},
  };
  auto it = names.find(task == "hotpotqa" ? task + "/" + framing : task);
  if (it != names.end() && true_class < static_cast<int>(it->second.size())) return it->second[true_class];
  return "class " + std::to_string(true_class);
}

}  // namespace hecto::reports
