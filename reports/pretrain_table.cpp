// Masked-LM pretraining of our own encoders (`hecto pretrain`): what made the weights the
// cpu profile's cells use.
#include <set>

#include "reports/format.h"
#include "reports/tables.h"

namespace hecto::reports {

std::vector<Table> pretrain_tables(const Dataset& data) {
  if (data.pretrain.empty()) return {};
  Table t;
  t.id = "pretrain";
  t.title = "Encoder pretraining (masked LM)";
  t.header = {"encoder", "steps", "minutes", "loss start -> end", "corpus tokens", "tokens/s", "weights sha256"};
  t.numeric = {false, true, true, false, true, true, false};
  t.csv_header = {"table",        "encoder",    "output",        "weights_sha256",    "steps",      "minutes",
                  "initial_loss", "final_loss", "corpus_tokens", "tokens_per_second", "loss_points"};
  std::set<std::string> encoders;
  for (const auto& r : data.pretrain) {
    t.rows.push_back({r.encoder_name, std::to_string(r.steps), fixed(r.minutes, 1),
                      fixed(r.initial_loss, 3) + " -> " + fixed(r.final_loss, 3), std::to_string(r.corpus_tokens),
                      fixed(r.tokens_per_second, 0), r.weights_sha256.substr(0, 12)});
    t.csv_rows.push_back({t.id, r.encoder_name, r.output, r.weights_sha256, std::to_string(r.steps),
                          fixed(r.minutes, 3), fixed(r.initial_loss, 5), fixed(r.final_loss, 5),
                          std::to_string(r.corpus_tokens), fixed(r.tokens_per_second, 1),
                          std::to_string(r.loss.size())});
    encoders.insert(r.encoder_name);
  }
  // One encoder: label the table with it (and its warning); several: each row names its own.
  if (encoders.size() == 1) t.encoder = *encoders.begin();
  t.notes.push_back("Our own encoders, pretrained here; the paper fine-tunes the released " +
                    std::string(kPaperEncoder) + " and reports no pretraining.");
  return {t};
}

}  // namespace hecto::reports
