#include "reports/plots.h"

#include <map>
#include <set>

#include "reports/format.h"
#include "reports/keys.h"
#include "reports/reference.h"
#include "reports/stats.h"
#include "reports/tables.h"

namespace hecto::reports {

namespace {

// A gnuplot single-quoted string.
std::string q(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A string column in a .dat file (gnuplot reads "..." as one column).
std::string dq(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? '\'' : c;
  return out + "\"";
}

// The plot's second title line and the .dat's second comment line.
std::string encoder_note(const std::string& encoder) {
  return encoder == kPaperEncoder ? "encoder: " + encoder : "encoder: " + encoder + " (NOT the paper's encoder)";
}

// A gnuplot double-quoted string, where \n breaks the line.
std::string qq(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Encoder name in a file name, only when the data holds more than one encoder.
std::string name_suffix(const std::string& encoder, const std::vector<std::string>& encoders) {
  return encoders.size() > 1 ? "_" + slug(encoder) : "";
}

std::string common_header(const Plot& p, const std::string& xlabel, const std::string& ylabel) {
  const std::string title =
      p.encoder.empty() ? qq(p.title) : qq(p.title) + " . \"\\n\" . " + qq(encoder_note(p.encoder));
  return "set title " + title + " noenhanced\nset xlabel " + q(xlabel) + "\nset ylabel " + q(ylabel) +
         "\nset key noenhanced\nset grid ytics\n";
}

std::string stat_columns(const std::vector<double>& values, double scale, int decimals) {
  const SeedStats s = summarize(values);
  return fixed(s.mean * scale, decimals) + " " + fixed(s.std.value_or(0) * scale, decimals) + " " + std::to_string(s.n);
}

// Series of (x, values) points as gnuplot data blocks separated by two blank lines.
struct Series {
  std::string label;
  std::map<int, std::vector<double>> points;
};

std::string series_data(const std::string& header, const std::vector<Series>& series, double scale, int decimals) {
  std::string out;
  for (size_t i = 0; i < series.size(); ++i) {
    if (i) out += "\n\n";
    out += "# index " + std::to_string(i) + ": " + series[i].label + "\n" + header + "\n";
    for (const auto& [x, values] : series[i].points)
      out += std::to_string(x) + " " + stat_columns(values, scale, decimals) + "\n";
  }
  return out;
}

std::string series_plot(const std::string& name, const std::vector<Series>& series, const std::string& style) {
  std::string out = "plot ";
  for (size_t i = 0; i < series.size(); ++i)
    out += (i ? ", \\\n     " : "") + q(name + ".dat") + " index " + std::to_string(i) + " using 1:2:3 with " + style +
           " title " + q(series[i].label);
  return out + "\n";
}

std::vector<const CellRow*> of_encoder(const std::vector<const CellRow*>& cells, const std::string& encoder) {
  std::vector<const CellRow*> out;
  for (const auto* c : cells)
    if (c->encoder_name == encoder) out.push_back(c);
  return out;
}

}  // namespace

std::vector<Plot> usage_plots(const Dataset& data) {
  std::vector<Plot> out;
  const auto cells = distinct_cells(data);
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    std::map<std::pair<TaskKey, RowKey>, std::vector<const CellRow*>> groups;
    for (const auto* c : of_encoder(cells, encoder))
      if (c->variant == "hecto" && data.routing.count(c->id))
        groups[{{c->task, c->framing}, {c->variant, c->batch_size, c->encoder_mode, false, c->pooling}}].push_back(c);
    for (const auto& [key, group] : groups) {
      const auto& [task, row] = key;
      std::set<int> classes;
      for (const auto* c : group)
        for (const auto& r : data.routing.at(c->id)) classes.insert(r.true_class);
      Plot p;
      p.name = "usage_" + slug(task_label(task.task, task.framing)) + "_b" + std::to_string(row.batch_size) + "_" +
               slug(row.mode) + name_suffix(encoder, encoders);
      p.title = "Expert usage per class: " + task_label(task.task, task.framing) + ", " + variant_label(row.variant) +
                ", " + setting_label(row);
      p.encoder = encoder;
      p.data = "# " + p.title + "\n# " + encoder_note(encoder) +
               "\n# share of eval samples (%) by top-1 expert kind, mean and std over seeds\n"
               "# class_id class ffnn_mean ffnn_std ffnn_n gru_mean gru_std gru_n\n";
      for (int cls : classes) {
        std::map<std::string, std::vector<double>> shares;
        for (const auto* c : group) {
          double total = 0;
          std::map<std::string, double> kind;
          for (const auto& r : data.routing.at(c->id))
            if (r.true_class == cls) {
              total += static_cast<double>(r.count);
              kind[r.expert_kind] += static_cast<double>(r.count);
            }
          if (total <= 0) continue;
          for (const auto* k : {"ffnn", "gru"}) shares[k].push_back(kind[k] / total);
        }
        if (shares.empty()) continue;
        p.data += std::to_string(cls) + " " + dq(class_label(task.task, task.framing, cls)) + " " +
                  stat_columns(shares["ffnn"], 100, 2) + " " + stat_columns(shares["gru"], 100, 2) + "\n";
      }
      p.body = common_header(p, "true class", "share of eval samples (%)") +
               "set style data histograms\nset style histogram errorbars gap 1 lw 1\n"
               "set style fill solid 0.8 border -1\nset yrange [0:105]\nset xtics noenhanced\n"
               "set key top right\n"
               "plot " +
               q(p.name + ".dat") + " using 3:4:xtic(2) title 'FFNN', '' using 6:7 title 'GRU'\n";
      out.push_back(p);
    }
  }
  return out;
}

std::vector<Plot> batch_size_plots(const Dataset& data) {
  std::vector<Plot> out;
  const auto cells = distinct_cells(data);
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    std::map<std::tuple<int, std::string, std::string, std::string, int, std::string>, Series> by_model;
    std::set<int> sizes;
    for (const auto* c : of_encoder(cells, encoder)) {
      auto acc = c->metrics.find("accuracy");
      if (acc == c->metrics.end()) continue;
      auto& s = by_model[{task_rank(c->task), c->task, c->framing, c->variant, encoder_mode_rank(c->encoder_mode),
                          c->encoder_mode}];
      s.label = variant_label(c->variant) + ", " + task_label(c->task, c->framing) + ", " +
                encoder_mode_label(c->encoder_mode);
      s.points[c->batch_size].push_back(acc->second);
    }
    std::vector<Series> series;
    for (const auto& [key, s] : by_model)
      if (s.points.size() > 1) {
        series.push_back(s);
        for (const auto& [bs, v] : s.points) sizes.insert(bs);
      }
    if (series.empty()) continue;
    Plot p;
    p.name = "accuracy_vs_batch_size" + name_suffix(encoder, encoders);
    p.title = "Accuracy against batch size";
    p.encoder = encoder;
    p.data = "# " + p.title + "\n# " + encoder_note(encoder) + "\n" +
             series_data("# batch_size accuracy_mean(%) accuracy_std n", series, 100, 2);
    std::string tics;
    for (int bs : sizes) tics += (tics.empty() ? "" : ", ") + std::to_string(bs);
    p.body = common_header(p, "batch size", "accuracy (%)") + "set logscale x 2\nset xtics (" + tics +
             ")\nset offsets graph 0.1, graph 0.1, 0, 0\nset key outside bottom center\n" +
             series_plot(p.name, series, "yerrorlines");
    out.push_back(p);
  }
  return out;
}

std::vector<Plot> lambda_grid_plots(const Dataset& data) {
  std::vector<Plot> out;
  const auto cells = distinct_cells(data);
  const auto encoders = encoders_of(cells);
  struct Measure {
    const char* metric;
    const char* label;
    double scale;
    int decimals;
  };
  const Measure measures[] = {{"accuracy", "accuracy (%)", 100, 1},
                              {"gate_entropy_bits", "gate entropy (bits)", 1, 2},
                              {"top_expert_share", "top-expert share (%)", 100, 0}};
  for (const auto& encoder : encoders) {
    // (task, batch) -> (lambda_ent, lambda_div) -> cells
    std::map<std::pair<TaskKey, int>, std::map<std::pair<double, double>, std::vector<const CellRow*>>> grids;
    for (const auto* c : of_encoder(cells, encoder)) {
      auto ent = c->axes.find("model.lambda_ent"), div = c->axes.find("model.lambda_div");
      if (ent == c->axes.end() || div == c->axes.end()) continue;
      grids[{{c->task, c->framing}, c->batch_size}][{std::stod(ent->second), std::stod(div->second)}].push_back(c);
    }
    for (const auto& [key, grid] : grids) {
      std::set<double> ents, divs;
      for (const auto& [lambdas, group] : grid) {
        ents.insert(lambdas.first);
        divs.insert(lambdas.second);
      }
      if (ents.size() < 2 || divs.size() < 2) continue;
      auto tics = [](const std::set<double>& values) {
        std::string t;
        int i = 0;
        for (double v : values) t += (t.empty() ? "" : ", ") + q(fixed(v, 2)) + " " + std::to_string(i++);
        return t;
      };
      auto index_of = [](const std::set<double>& values, double v) {
        return static_cast<int>(std::distance(values.begin(), values.find(v)));
      };
      for (const auto& m : measures) {
        Plot p;
        p.name = "lambda_grid_" + std::string(m.metric) + "_" + slug(task_label(key.first.task, key.first.framing)) +
                 "_b" + std::to_string(key.second) + name_suffix(encoder, encoders);
        p.title = std::string(m.label) + " over the loss weights: " + task_label(key.first.task, key.first.framing) +
                  ", batch " + std::to_string(key.second);
        p.encoder = encoder;
        p.data = "# " + p.title + "\n# " + encoder_note(encoder) +
                 "\n# lambda_ent_index lambda_div_index mean (over seeds) lambda_ent lambda_div n\n";
        for (const auto& [lambdas, group] : grid) {
          std::vector<double> values;
          for (const auto* c : group)
            if (auto it = c->metrics.find(m.metric); it != c->metrics.end()) values.push_back(it->second);
          if (values.empty()) continue;
          p.data += std::to_string(index_of(ents, lambdas.first)) + " " + std::to_string(index_of(divs, lambdas.second)) +
                    " " + fixed(summarize(values).mean * m.scale, m.decimals) + " " + fixed(lambdas.first, 3) + " " +
                    fixed(lambdas.second, 3) + " " + std::to_string(values.size()) + "\n";
        }
        p.body = common_header(p, "lambda_ent (entropy penalty)", "lambda_div (diversity penalty)") +
                 "unset grid\nset xtics (" + tics(ents) + ")\nset ytics (" + tics(divs) + ")\n"
                 "set xrange [-0.5:" + std::to_string(ents.size() - 0.5) + "]\nset yrange [-0.5:" +
                 std::to_string(divs.size() - 0.5) + "]\nset palette rgbformulae 33,13,10\nset cblabel " +
                 q(m.label) + "\nplot " + q(p.name + ".dat") + " using 1:2:3 with image notitle, '' using 1:2:(sprintf('%." +
                 std::to_string(m.decimals) + "f', $3)) with labels notitle\n";
        out.push_back(p);
      }
    }
  }
  return out;
}

std::vector<Plot> entropy_plots(const Dataset& data) {
  std::vector<Plot> out;
  const auto cells = distinct_cells(data);
  const auto encoders = encoders_of(cells);
  for (const auto& encoder : encoders) {
    // (task, batch, mode) -> variant -> series; a setting is shown when no_reg ran there, or,
    // when no_reg never ran, Hecto alone everywhere.
    std::map<std::pair<TaskKey, RowKey>, std::map<std::string, Series>> settings;
    bool any_no_reg = false;
    for (const auto* c : of_encoder(cells, encoder)) {
      if (c->variant != "hecto" && c->variant != "no_reg") continue;
      auto ep = data.epochs.find(c->id);
      if (ep == data.epochs.end()) continue;
      auto& s = settings[{{c->task, c->framing}, {"", c->batch_size, c->encoder_mode}}][c->variant];
      s.label = variant_label(c->variant) + ", " + task_label(c->task, c->framing) + ", batch " +
                std::to_string(c->batch_size) + ", " + encoder_mode_label(c->encoder_mode);
      for (const auto& e : ep->second)
        if (e.gate_entropy_bits) s.points[e.epoch].push_back(*e.gate_entropy_bits);
      any_no_reg = any_no_reg || c->variant == "no_reg";
    }
    std::vector<Series> series;
    for (const auto& [setting, variants] : settings) {
      if (any_no_reg && !variants.count("no_reg")) continue;
      for (const auto* v : {"hecto", "no_reg"})
        if (variants.count(v) && !variants.at(v).points.empty()) series.push_back(variants.at(v));
    }
    if (series.empty()) continue;
    Plot p;
    p.name = "gate_entropy_epochs" + name_suffix(encoder, encoders);
    p.title = std::string("Gate entropy over epochs, ") + (any_no_reg ? "with and without the regularisers" : "Hecto");
    p.encoder = encoder;
    p.data = "# " + p.title + "\n# " + encoder_note(encoder) + "\n" +
             series_data("# epoch entropy_mean(bits) entropy_std n", series, 1, 4);
    p.body =
        common_header(p, "epoch", "gate entropy (bits)") +
        "set yrange [0:*]\nset xtics 1\nset offsets graph 0.05, graph 0.05, 0, 0\nset key outside bottom center\n" +
        series_plot(p.name, series, "yerrorlines");
    out.push_back(p);
  }
  return out;
}

std::vector<Plot> pretrain_plots(const Dataset& data) {
  std::vector<Plot> out;
  std::vector<const PretrainRun*> runs;
  for (const auto& r : data.pretrain)
    if (!r.loss.empty()) runs.push_back(&r);
  if (runs.empty()) return out;
  Plot p;
  p.name = "pretrain_loss";
  p.title = "Masked-LM pretraining loss";
  p.body = common_header(p, "step", "MLM loss") + "set key top right\nplot ";
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string label = runs[i]->encoder_name + " (" + runs[i]->weights_sha256.substr(0, 8) + ")";
    if (i) p.data += "\n\n";
    p.data += "# index " + std::to_string(i) + ": " + label + "\n# step loss\n";
    for (const auto& [step, loss] : runs[i]->loss) p.data += std::to_string(step) + " " + fixed(loss, 5) + "\n";
    p.body += (i ? ", \\\n     " : "") + q(p.name + ".dat") + " index " + std::to_string(i) +
              " using 1:2 with lines title " + q(label);
  }
  p.body += "\n";
  out.push_back(p);
  return out;
}

std::vector<Plot> all_plots(const Dataset& data) {
  std::vector<Plot> out;
  for (auto* make : {usage_plots, batch_size_plots, entropy_plots, lambda_grid_plots, pretrain_plots})
    for (auto& p : make(data)) out.push_back(std::move(p));
  return out;
}

}  // namespace hecto::reports
