#pragma once
// The paper's own figures (reports/paper_reference.json). Only what the paper states is there;
// every lookup that misses is shown as a dash, never filled in.
#include <optional>
#include <string>
#include <vector>

namespace hecto::reports {

struct PaperFigure {
  std::string id, task, variant, encoder_mode, metric, unit, source, device;
  int batch_size = 0;
  double value = 0;  // in the paper's unit (% for accuracy, F1 and shares; bits; pp; s)
  bool approximate = false;
};

struct Reference {
  std::string paper;
  std::string encoder;  // the encoder every figure came from: distilbert-base-uncased
  std::string path;     // where it was read from ("" when none was found)
  std::vector<PaperFigure> figures;

  // Metric names follow the results database (v_results columns, plus the report's derived
  // top_expert_share and accuracy_delta_vs_hecto); the file's aliases are mapped on load.
  const PaperFigure* find(const std::string& task, const std::string& variant, int batch_size,
                          const std::string& encoder_mode, const std::string& metric) const;
};

inline constexpr const char* kPaperEncoder = "distilbert-base-uncased";

// Throws InputError naming the file on unreadable or malformed JSON.
Reference load_reference(const std::string& path);

// The default file: ./reports/paper_reference.json in the working directory or any parent,
// then the source tree this binary was built from. "" when none exists.
std::string find_reference_path();

}  // namespace hecto::reports
