#include "results/schema.h"

namespace hecto::results {

namespace {

// v1 tables. Results of a cell hang off cells(id) with ON DELETE CASCADE, so deleting a cell
// never leaves orphans; finish_cell deletes and rewrites them inside one transaction.
const char* kV1Tables = R"sql(
CREATE TABLE experiments (
  name          TEXT PRIMARY KEY,
  source_file   TEXT,
  source_text   TEXT,
  registered_at TEXT NOT NULL
);
CREATE TABLE cells (
  id               TEXT PRIMARY KEY,
  experiment       TEXT NOT NULL REFERENCES experiments(name),  -- the first experiment that planned it
  config_json      TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  error            TEXT,
  owner            TEXT,
  lease_expires_at REAL,            -- unix seconds
  created_at       TEXT NOT NULL,   -- ISO 8601 UTC
  started_at       TEXT,
  finished_at      TEXT,
  task             TEXT,
  seed             INTEGER,
  batch_size       INTEGER,
  variant          TEXT,
  encoder_mode     TEXT,
  encoder_name     TEXT,
  framing          TEXT
);
CREATE INDEX cells_by_experiment ON cells(experiment);
CREATE INDEX cells_by_status ON cells(status);
CREATE TABLE cell_experiments (
  cell_id    TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  experiment TEXT NOT NULL REFERENCES experiments(name),
  PRIMARY KEY (cell_id, experiment)
);
CREATE INDEX cell_experiments_by_experiment ON cell_experiments(experiment);
CREATE TABLE cell_axes (
  cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  value   TEXT,
  PRIMARY KEY (cell_id, key)
);
CREATE TABLE metrics (
  cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  split   TEXT NOT NULL,
  name    TEXT NOT NULL,
  value   REAL,                     -- NULL when the metric was undefined (NaN)
  PRIMARY KEY (cell_id, split, name)
);
CREATE TABLE epochs (
  cell_id           TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  epoch             INTEGER NOT NULL CHECK (epoch >= 1),
  train_loss        REAL,
  task_loss         REAL,
  entropy_penalty   REAL,
  diversity_penalty REAL,
  gate_entropy_bits REAL,
  expert_share_json TEXT,
  eval_metrics_json TEXT,
  seconds           REAL,
  PRIMARY KEY (cell_id, epoch)
);
CREATE TABLE epoch_expert_share (
  cell_id TEXT NOT NULL,
  epoch   INTEGER NOT NULL,
  expert  INTEGER NOT NULL,
  share   REAL,
  PRIMARY KEY (cell_id, epoch, expert),
  FOREIGN KEY (cell_id, epoch) REFERENCES epochs(cell_id, epoch) ON DELETE CASCADE
);
CREATE TABLE epoch_metrics (
  cell_id TEXT NOT NULL,
  epoch   INTEGER NOT NULL,
  name    TEXT NOT NULL,
  value   REAL,
  PRIMARY KEY (cell_id, epoch, name),
  FOREIGN KEY (cell_id, epoch) REFERENCES epochs(cell_id, epoch) ON DELETE CASCADE
);
CREATE TABLE routing (
  cell_id     TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  split       TEXT NOT NULL,
  true_class  INTEGER NOT NULL,     -- -1 for regression tasks
  expert      INTEGER NOT NULL,
  expert_kind TEXT NOT NULL,
  count       INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (cell_id, split, true_class, expert)
);
CREATE TABLE timings (
  cell_id            TEXT PRIMARY KEY REFERENCES cells(id) ON DELETE CASCADE,
  train_seconds      REAL,
  eval_seconds       REAL,
  encode_seconds     REAL,
  train_sps          REAL,
  eval_sps           REAL,
  infer_s_per_sample REAL
);
CREATE TABLE provenance (
  cell_id                TEXT PRIMARY KEY REFERENCES cells(id) ON DELETE CASCADE,
  git_commit             TEXT,
  git_dirty              INTEGER,
  compiler               TEXT,
  build_type             TEXT,
  torch_version          TEXT,
  blas                   TEXT,
  blas_core              TEXT,
  threads                INTEGER,
  cpu_model              TEXT,
  host                   TEXT,
  encoder_name           TEXT,
  encoder_weights_sha256 TEXT,
  started_at             TEXT,
  finished_at            TEXT
);
CREATE TABLE data_files (
  cell_id TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  path    TEXT NOT NULL,
  sha256  TEXT NOT NULL,
  PRIMARY KEY (cell_id, path)
);
CREATE TABLE bench (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT NOT NULL,
  value         REAL,
  unit          TEXT,
  params_json   TEXT,
  git_commit    TEXT,
  git_dirty     INTEGER,
  compiler      TEXT,
  build_type    TEXT,
  torch_version TEXT,
  blas          TEXT,
  blas_core     TEXT,
  threads       INTEGER,
  cpu_model     TEXT,
  host          TEXT,
  recorded_at   TEXT NOT NULL
);
CREATE INDEX bench_by_name ON bench(name);
CREATE TABLE pretrain_runs (
  output         TEXT NOT NULL,     -- the checkpoint directory
  weights_sha256 TEXT NOT NULL,     -- of its model.safetensors, as the cells record it
  encoder_name   TEXT,
  recipe_json    TEXT,
  corpus_sha256  TEXT,
  corpus_tokens  INTEGER,
  steps          INTEGER,
  minutes        REAL,
  initial_loss   REAL,
  final_loss     REAL,
  tokens_per_second REAL,
  host           TEXT,
  cpu_model      TEXT,
  recorded_at    TEXT NOT NULL,
  PRIMARY KEY (weights_sha256)
);
CREATE TABLE pretrain_loss (
  weights_sha256 TEXT NOT NULL REFERENCES pretrain_runs(weights_sha256) ON DELETE CASCADE,
  step           INTEGER NOT NULL,
  loss           REAL,
  PRIMARY KEY (weights_sha256, step)
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
)sql";

// The eval split of a cell is the first of eval/test/dev/validation it has metrics for (tasks
// report on different splits); anything else but 'train' comes after those.
const char* kV1Results = R"sql(
CREATE VIEW v_results AS
SELECT c.id, ce.experiment, c.task, c.framing, c.variant, c.seed, c.batch_size, c.encoder_mode, c.encoder_name,
  c.eval_split,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'accuracy') AS accuracy,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'macro_f1') AS macro_f1,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'f1') AS f1,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'pearson') AS pearson,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'spearman') AS spearman,
  (SELECT value FROM metrics m WHERE m.cell_id = c.id AND m.split = c.eval_split AND m.name = 'mse') AS mse,
  (SELECT gate_entropy_bits FROM epochs e WHERE e.cell_id = c.id ORDER BY e.epoch DESC LIMIT 1) AS gate_entropy_bits,
  (SELECT 1.0 * sum(CASE WHEN r.expert_kind = 'ffnn' THEN r.count ELSE 0 END) / nullif(sum(r.count), 0)
     FROM routing r WHERE r.cell_id = c.id AND r.split = c.eval_split) AS ffnn_share,
  (SELECT 1.0 * sum(CASE WHEN r.expert_kind = 'gru' THEN r.count ELSE 0 END) / nullif(sum(r.count), 0)
     FROM routing r WHERE r.cell_id = c.id AND r.split = c.eval_split) AS gru_share,
  t.train_seconds, t.infer_s_per_sample,
  c.finished_at
FROM (SELECT cells.*,
        (SELECT m.split FROM metrics m WHERE m.cell_id = cells.id AND m.split <> 'train'
          ORDER BY CASE m.split WHEN 'eval' THEN 0 WHEN 'test' THEN 1 WHEN 'dev' THEN 2 WHEN 'validation' THEN 3
                   ELSE 4 END, m.split LIMIT 1) AS eval_split
      FROM cells WHERE cells.status = 'done') c
JOIN cell_experiments ce ON ce.cell_id = c.id
LEFT JOIN timings t ON t.cell_id = c.id;
)sql";

// v_summary: one row per configuration, over its seeds. Sample standard deviation from
// deviations to the group mean (two passes through a window, no cancellation), NULL for n < 2.
std::string summary_view(const std::string& keys) {
  std::string outer = "CREATE VIEW v_summary AS\nSELECT " + keys + ", count(*) AS n";
  std::string inner = "SELECT *";
  for (const auto& m : summary_metric_columns()) {
    outer += ",\n  avg(" + m + ") AS " + m + "_mean";
    outer += ",\n  CASE WHEN count(" + m + ") > 1 THEN sqrt(max(0.0, sum(" + m + "_dev * " + m + "_dev) / (count(" + m +
             ") - 1))) END AS " + m + "_std";
    inner += ", " + m + " - avg(" + m + ") OVER g AS " + m + "_dev";
  }
  return outer + "\nFROM (" + inner + " FROM v_results WINDOW g AS (PARTITION BY " + keys + "))\nGROUP BY " + keys +
         ";\n";
}

std::string v1_summary_view() {
  return summary_view("experiment, task, framing, variant, batch_size, encoder_mode, encoder_name");
}

// v2: where and how each cell computed (device, numerics), its peak memory, and its model kind
// (the floors beside Hecto). Figures from different devices or numerics are separate summary
// rows: they are never averaged together.
const char* kV2Columns = R"sql(
ALTER TABLE provenance ADD COLUMN device TEXT;
ALTER TABLE provenance ADD COLUMN device_name TEXT;
ALTER TABLE provenance ADD COLUMN cuda_runtime TEXT;
ALTER TABLE provenance ADD COLUMN cudnn TEXT;
ALTER TABLE provenance ADD COLUMN driver TEXT;
ALTER TABLE provenance ADD COLUMN precision TEXT;
ALTER TABLE timings ADD COLUMN peak_rss_bytes INTEGER;
DROP VIEW v_summary;
DROP VIEW v_results;
)sql";

std::string v2_results_view() {
  std::string v = kV1Results;
  v.replace(v.find("  c.eval_split,"), std::string("  c.eval_split,").size(),
            "  c.eval_split, json_extract(c.config_json, '$.model.kind') AS model_kind,\n"
            "  coalesce(p.device, 'cpu') AS device, coalesce(p.precision, 'fp32') AS precision,");
  v.replace(v.find("  t.train_seconds, t.infer_s_per_sample,"),
            std::string("  t.train_seconds, t.infer_s_per_sample,").size(),
            "  t.train_seconds, t.infer_s_per_sample, t.peak_rss_bytes,");
  v.replace(v.find("LEFT JOIN timings t ON t.cell_id = c.id;"),
            std::string("LEFT JOIN timings t ON t.cell_id = c.id;").size(),
            "LEFT JOIN timings t ON t.cell_id = c.id\nLEFT JOIN provenance p ON p.cell_id = c.id;");
  return v;
}

// v4: what a cell kept for explaining its routing (train.save_artifact), and integrated-gradient
// attributions of its gate for a fixed sample of evaluation inputs (train.explain_per_class).
const char* kV4Explanations = R"sql(
CREATE TABLE artifacts (
  cell_id TEXT PRIMARY KEY REFERENCES cells(id) ON DELETE CASCADE,
  path    TEXT NOT NULL,
  bytes   INTEGER NOT NULL
);
CREATE TABLE attributions (
  cell_id            TEXT NOT NULL REFERENCES cells(id) ON DELETE CASCADE,
  example            INTEGER NOT NULL,   -- index in the cell's evaluation split
  true_class         INTEGER NOT NULL,
  expert             INTEGER NOT NULL,   -- the chosen expert
  expert_kind        TEXT NOT NULL,
  text               TEXT,
  tokens_json        TEXT NOT NULL,      -- WordPiece tokens, [CLS]/[SEP] included
  scores_json        TEXT NOT NULL,      -- one per token: its share of the gate logit's change
  logit              REAL,
  baseline_logit     REAL,
  completeness_error REAL,               -- |sum(scores) - (logit - baseline)| / |logit - baseline|
  PRIMARY KEY (cell_id, example)
);
)sql";

std::string v2_summary_view() {
  return summary_view(
      "experiment, task, framing, variant, model_kind, batch_size, encoder_mode, encoder_name, device, "
      "precision");
}

// v3: where each data file came from, as `make data` recorded it (official download or the staged
// subset), and per cell in v_results: 'official' when every file it read was official, 'staged'
// when any was staged, NULL when unrecorded (cells before v3). Summary rows never average cells
// of different data sources.
const char* kV3Columns = R"sql(
ALTER TABLE data_files ADD COLUMN source TEXT;
DROP VIEW v_summary;
DROP VIEW v_results;
)sql";

// `view` with `column` (one line of SQL, its comma included) added after its model_kind column.
std::string with_column_after_model_kind(std::string view, const std::string& column) {
  const std::string anchor = "  c.eval_split, json_extract(c.config_json, '$.model.kind') AS model_kind,";
  view.replace(view.find(anchor), anchor.size(), anchor + "\n" + column);
  return view;
}

std::string v3_results_view() {
  return with_column_after_model_kind(
      v2_results_view(),
      "  (SELECT CASE WHEN sum(f.source = 'staged') > 0 THEN 'staged'"
      " WHEN count(*) > 0 AND sum(f.source = 'official') = count(*) THEN 'official' END"
      " FROM data_files f WHERE f.cell_id = c.id) AS data_source,");
}

std::string v3_summary_view() {
  return summary_view(
      "experiment, task, framing, variant, model_kind, batch_size, encoder_mode, encoder_name, device, "
      "precision, data_source");
}

// v5: what the gate and FFNN experts read (model.pooling: cls, mean or pair), a column of
// v_results and a key of v_summary, so figures of two views are never averaged together. Cells
// from before the option read [CLS].
const char* kV5DropViews = R"sql(
DROP VIEW v_summary;
DROP VIEW v_results;
)sql";

std::string v5_results_view() {
  return with_column_after_model_kind(v3_results_view(),
                                      "  coalesce(json_extract(c.config_json, '$.model.pooling'), 'cls') AS pooling,");
}

std::string v5_summary_view() {
  return summary_view(
      "experiment, task, framing, variant, model_kind, pooling, batch_size, encoder_mode, encoder_name, device, "
      "precision, data_source");
}

// v6: when an experiment's whole plan was last registered (`hecto run` without --only) and which
// cells it holds (a JSON array of the sorted ids), so a merge can take a newer plan from a shard
// or a merged database and leave out an older plan's links; and the CPU's instruction set per
// cell, because the kernels it selects change a cell's numbers (AVX2 against AVX-512).
const char* kV6PlansAndCpuIsa = R"sql(
ALTER TABLE experiments ADD COLUMN planned_at TEXT;
ALTER TABLE experiments ADD COLUMN plan_cells TEXT;
ALTER TABLE provenance ADD COLUMN cpu_isa TEXT;
)sql";

}  // namespace

const std::vector<std::string>& summary_metric_columns() {
  // Frozen with v1: the v1 migration text is generated from this list.
  static const std::vector<std::string> columns = {
      "accuracy",          "macro_f1",   "f1",        "pearson",       "spearman",          "mse",
      "gate_entropy_bits", "ffnn_share", "gru_share", "train_seconds", "infer_s_per_sample"};
  return columns;
}

const std::vector<std::string>& migrations() {
  static const std::vector<std::string> list = {
      std::string(kV1Tables) + kV1Results + v1_summary_view(),
      std::string(kV2Columns) + v2_results_view() + v2_summary_view(),
      std::string(kV3Columns) + v3_results_view() + v3_summary_view(),
      kV4Explanations,
      std::string(kV5DropViews) + v5_results_view() + v5_summary_view(),
      kV6PlansAndCpuIsa,
      // v7: append here.
  };
  return list;
}

int latest_schema_version() { return static_cast<int>(migrations().size()); }

int read_schema_version(sqlite::Connection& db) {
  sqlite::Statement st(db, "PRAGMA user_version");
  st.step();
  return static_cast<int>(st.column_int(0));
}

namespace {

int read_application_id(sqlite::Connection& db) {
  sqlite::Statement st(db, "PRAGMA application_id");
  st.step();
  return static_cast<int>(st.column_int(0));
}

int64_t count_tables(sqlite::Connection& db) {
  sqlite::Statement st(db, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
  st.step();
  return st.column_int(0);
}

}  // namespace

void migrate(sqlite::Connection& db, const std::string& path) {
  const int latest = latest_schema_version();
  // Up to date (the common case): no write lock, so many workers can open at once.
  if (read_schema_version(db) == latest && read_application_id(db) == kApplicationId) return;
  for (;;) {
    sqlite::Transaction tx(db);  // re-read under the write lock: another process may have migrated
    const int version = read_schema_version(db);
    if (version == 0 && count_tables(db) > 0 && read_application_id(db) != kApplicationId)
      throw common::RunError(path +
                             " is an SQLite database but not a hecto results database; use another database path");
    if (version > latest)
      throw common::RunError(path + " has results schema version " + std::to_string(version) +
                             " but this hecto knows only up to " + std::to_string(latest) + "; use a newer hecto");
    if (version == latest) {
      tx.commit();
      return;
    }
    if (version == 0) db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec(migrations()[static_cast<size_t>(version)]);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    sqlite::Statement meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?1)");
    meta.bind(1, std::to_string(version + 1)).run();
    tx.commit();
  }
}

}  // namespace hecto::results
