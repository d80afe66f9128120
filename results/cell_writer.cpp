// finish_cell: a finished cell's rows, all in one transaction.
#include <nlohmann/json.hpp>

#include <cmath>

#include "results/clock.h"
#include "results/store_impl.h"

namespace hecto::results {

using sqlite::Statement;

const std::vector<std::string>& result_tables() {
  static const std::vector<std::string> tables = {"metrics",    "epochs",     "epoch_expert_share",
                                                  "epoch_metrics", "routing", "timings",
                                                  "provenance", "data_files", "artifacts", "attributions"};
  return tables;
}

void delete_cell_rows(sqlite::Connection& db, const std::string& schema, const std::string& cell_id) {
  const auto& tables = result_tables();
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    Statement st(db, "DELETE FROM " + schema + "." + *it + " WHERE cell_id = ?1");
    st.bind(1, cell_id).run();
  }
}

namespace {

// JSON has no NaN: undefined values become null, as in the REAL columns.
nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

void write_epochs(sqlite::Connection& db, const CellResult& r) {
  Statement epoch(db,
                  "INSERT INTO epochs(cell_id, epoch, train_loss, task_loss, entropy_penalty, diversity_penalty, "
                  "gate_entropy_bits, expert_share_json, eval_metrics_json, seconds) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  Statement share(db, "INSERT INTO epoch_expert_share(cell_id, epoch, expert, share) VALUES (?1, ?2, ?3, ?4)");
  Statement metric(db, "INSERT INTO epoch_metrics(cell_id, epoch, name, value) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& e : r.epochs) {
    nlohmann::json shares = nlohmann::json::array();
    for (double s : e.expert_share) shares.push_back(finite_or_null(s));
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, value] : e.eval_metrics) metrics[name] = finite_or_null(value);
    epoch.reset();
    epoch.bind(1, r.cell_id).bind(2, e.epoch).bind(3, e.train_loss).bind(4, e.task_loss).bind(5, e.entropy_penalty);
    epoch.bind(6, e.diversity_penalty).bind(7, e.gate_entropy_bits).bind(8, shares.dump()).bind(9, metrics.dump());
    epoch.bind(10, e.seconds).run();
    for (size_t i = 0; i < e.expert_share.size(); ++i) {
      share.reset();
      share.bind(1, r.cell_id).bind(2, e.epoch).bind(3, static_cast<int64_t>(i)).bind(4, e.expert_share[i]).run();
    }
    for (const auto& [name, value] : e.eval_metrics) {
      metric.reset();
      metric.bind(1, r.cell_id).bind(2, e.epoch).bind(3, name).bind(4, value).run();
    }
  }
}

void write_provenance(sqlite::Connection& db, const CellResult& r) {
  const Provenance& p = r.provenance;
  Statement st(
      db,
      "INSERT INTO provenance(cell_id, git_commit, git_dirty, compiler, build_type, torch_version, blas, "
      "blas_core, threads, cpu_model, host, encoder_name, encoder_weights_sha256, started_at, finished_at, "
      "device, device_name, cuda_runtime, cudnn, driver, precision, cpu_isa) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
  st.bind(1, r.cell_id).bind_text_or_null(2, p.git_commit).bind(3, p.git_dirty).bind_text_or_null(4, p.compiler);
  st.bind_text_or_null(5, p.build_type).bind_text_or_null(6, p.torch_version).bind_text_or_null(7, p.blas);
  st.bind_text_or_null(8, p.blas_core).bind(9, p.threads).bind_text_or_null(10, p.cpu_model);
  st.bind_text_or_null(11, p.host).bind_text_or_null(12, p.encoder_name);
  st.bind_text_or_null(13, p.encoder_weights_sha256).bind_text_or_null(14, p.started_at);
  st.bind_text_or_null(15, p.finished_at).bind_text_or_null(16, p.device).bind_text_or_null(17, p.device_name);
  st.bind_text_or_null(18, p.cuda_runtime).bind_text_or_null(19, p.cudnn).bind_text_or_null(20, p.driver);
  st.bind_text_or_null(21, p.precision).bind_text_or_null(22, p.cpu_isa).run();

  Statement file(db, "INSERT INTO data_files(cell_id, path, sha256, source) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& [path, sha] : p.data_sha256) {
    const auto source = p.data_source.find(path);
    file.reset();
    file.bind(1, r.cell_id).bind(2, path).bind(3, sha);
    file.bind_text_or_null(4, source == p.data_source.end() ? "" : source->second).run();
  }
}

void write_explanations(sqlite::Connection& db, const CellResult& r) {
  if (r.artifact) {
    Statement st(db, "INSERT INTO artifacts(cell_id, path, bytes) VALUES (?1, ?2, ?3)");
    st.bind(1, r.cell_id).bind(2, r.artifact->path).bind(3, r.artifact->bytes).run();
  }
  Statement st(db,
               "INSERT INTO attributions(cell_id, example, true_class, expert, expert_kind, text, tokens_json, "
               "scores_json, logit, baseline_logit, completeness_error) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  for (const auto& a : r.attributions) {
    nlohmann::json scores = nlohmann::json::array();
    for (double s : a.scores) scores.push_back(finite_or_null(s));
    st.reset();
    st.bind(1, r.cell_id).bind(2, a.example).bind(3, a.true_class).bind(4, a.expert).bind(5, a.expert_kind);
    st.bind(6, a.text).bind(7, nlohmann::json(a.tokens).dump()).bind(8, scores.dump()).bind(9, a.logit);
    st.bind(10, a.baseline_logit).bind(11, a.completeness_error).run();
  }
}

}  // namespace

void write_cell_rows(sqlite::Connection& db, const CellResult& r) {
  Statement metric(db, "INSERT INTO metrics(cell_id, split, name, value) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& [split, values] : r.metrics)
    for (const auto& [name, value] : values) {
      metric.reset();
      metric.bind(1, r.cell_id).bind(2, split).bind(3, name).bind(4, value).run();
    }

  write_epochs(db, r);

  Statement routing(db,
                    "INSERT INTO routing(cell_id, split, true_class, expert, expert_kind, count) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const auto& rc : r.routing) {
    routing.reset();
    routing.bind(1, r.cell_id).bind(2, rc.split).bind(3, rc.true_class).bind(4, rc.expert).bind(5, rc.expert_kind);
    routing.bind(6, rc.count).run();
  }

  const Timing& t = r.timing;
  Statement timing(db,
                   "INSERT INTO timings(cell_id, train_seconds, eval_seconds, encode_seconds, train_sps, eval_sps, "
                   "infer_s_per_sample, peak_rss_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  timing.bind(1, r.cell_id).bind(2, t.train_seconds).bind(3, t.eval_seconds).bind(4, t.encode_seconds);
  timing.bind(5, t.train_samples_per_second).bind(6, t.eval_samples_per_second);
  timing.bind(7, t.inference_seconds_per_sample).bind(8, t.peak_rss_bytes).run();

  write_provenance(db, r);
  write_explanations(db, r);
}

void Store::finish_cell(const CellResult& result) {
  const std::string& id = result.cell_id;
  try {
    sqlite::Transaction tx(impl_->db);
    Statement exists(impl_->db, "SELECT 1 FROM cells WHERE id = ?1");
    exists.bind(1, id);
    if (!exists.step())
      throw common::RunError("cannot store the result of cell " + id + " in " + impl_->path +
                             ": the cell was never registered (register its experiment first)");
    delete_cell_rows(impl_->db, "main", id);
    write_cell_rows(impl_->db, result);
    const std::string finished =
        result.provenance.finished_at.empty() ? utc_iso8601_now() : result.provenance.finished_at;
    Statement done(impl_->db,
                   "UPDATE cells SET status = 'done', owner = NULL, lease_expires_at = NULL, error = NULL, "
                   "finished_at = ?2 WHERE id = ?1");
    done.bind(1, id).bind(2, finished).run();
    tx.commit();
  } catch (const sqlite::SqliteError& e) {
    rethrow_as_run_error(impl_->path, "storing the result of cell " + id, e);
  }
}

}  // namespace hecto::results
