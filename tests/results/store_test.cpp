#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>

#include "common/error.h"
#include "results/schema.h"
#include "results/store.h"
#include "tests/results/results_fixtures.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

using namespace fixtures;

std::string one(const Store& store, const std::string& sql) {
  QueryResult r = store.query(sql);
  EXPECT_EQ(r.rows.size(), 1u) << sql;
  EXPECT_EQ(r.columns.size(), 1u) << sql;
  return r.rows.empty() ? "<no row>" : r.rows[0][0];
}

TEST(ResultsStore, CreatesSchemaAndRecordsItsVersion) {
  testing::TempDir dir;
  const std::string path = (dir / "sub/dir/hecto.db").string();  // parents created
  Store store = Store::open(path);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(store.schema_version(), 6);
  EXPECT_EQ(one(store, "PRAGMA user_version"), "6");
  EXPECT_EQ(one(store, "SELECT value FROM meta WHERE key = 'schema_version'"), "6");
  EXPECT_EQ(one(store, "PRAGMA foreign_keys"), "1");
  sqlite3* raw = nullptr;  // PRAGMA journal_mode can switch modes, so query() refuses it
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(raw);
  for (const char* table :
       {"experiments", "cells", "cell_experiments", "cell_axes", "metrics", "epochs", "epoch_expert_share",
        "epoch_metrics", "routing", "timings", "provenance", "data_files", "bench", "v_results", "v_summary"})
    EXPECT_EQ(one(store, std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'"), "1") << table;
  EXPECT_EQ(store.integrity_check(), "ok");
  EXPECT_EQ(store.path(), path);
}

TEST(ResultsStore, ReopeningKeepsDataAndVersion) {
  testing::TempDir dir;
  const std::string path = (dir / "hecto.db").string();
  {
    Store store = Store::open(path);
    register_cells(store, specs(2));
  }
  Store again = Store::open(path);
  EXPECT_EQ(again.schema_version(), 6);
  EXPECT_EQ(again.experiment_cells("exp").size(), 2u);
  Store reader = Store::open(path, Store::Mode::ReadOnly);
  EXPECT_EQ(reader.experiment_cells("exp").size(), 2u);
}

TEST(ResultsStore, RegisterIsIdempotentAndFillsAxisColumns) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  auto cells = specs(3);
  cells[1].axes["framing"] = "question_type";
  register_cells(store, cells);
  register_cells(store, cells);
  auto states = store.experiment_cells("exp");
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].id, "c0");
  EXPECT_EQ(states[2].id, "c2");
  for (const auto& s : states) EXPECT_EQ(s.status, CellStatus::Pending);
  EXPECT_EQ(one(store,
                "SELECT task || '|' || seed || '|' || typeof(seed) || '|' || batch_size || '|' || variant || "
                "'|' || encoder_mode || '|' || encoder_name || '|' || framing FROM cells WHERE id = 'c1'"),
            "agnews|1|integer|16|hecto|frozen|tiny|question_type");
  EXPECT_EQ(one(store, "SELECT value FROM cell_axes WHERE cell_id = 'c2' AND key = 'lr'"), "0.001");
  EXPECT_EQ(one(store, "SELECT count(*) FROM cell_axes WHERE cell_id = 'c1'"), "8");
  EXPECT_EQ(one(store, "SELECT count(*) FROM experiments"), "1");
}

TEST(ResultsStore, ACellPlannedByTwoExperimentsIsListedByBoth) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, {spec("shared", "a"), spec("only_a", "a")}, "a");
  register_cells(store, {spec("shared", "b"), spec("only_b", "b")}, "b");
  EXPECT_EQ(store.experiment_cells("a").size(), 2u);
  auto b = store.experiment_cells("b");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].id, "shared");
  EXPECT_EQ(one(store, "SELECT experiment FROM cells WHERE id = 'shared'"), "a");
  ASSERT_TRUE(store.claim_cell("shared", "me", 60, false));
  store.finish_cell(result("shared", 0.8, 0.7));
  EXPECT_EQ(one(store,
                "SELECT group_concat(experiment, ',') FROM (SELECT experiment FROM v_results "
                "WHERE id = 'shared' ORDER BY experiment)"),
            "a,b");
}

TEST(ResultsStore, AWholePlanUnlinksTheCellsOfAnEarlierPlanKeepingTheirResults) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, {spec("kept", "a"), spec("old", "a"), spec("shared", "a")}, "a");
  register_cells(store, {spec("shared", "b")}, "b");
  for (const char* id : {"kept", "old", "shared"}) {
    ASSERT_TRUE(store.claim_cell(id, "me", 60, false));
    store.finish_cell(result(id, 0.8, 0.7));
  }
  // The file of `a` changed: its whole plan is now kept + new.
  register_cells(store, {spec("kept", "a"), spec("new", "a")}, "a");
  EXPECT_EQ(store.record_whole_plan("a", {"kept", "new"}), 2);
  auto a = store.experiment_cells("a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].id, "kept");
  EXPECT_EQ(a[1].id, "new");
  EXPECT_EQ(
      one(store, "SELECT group_concat(id, ',') FROM (SELECT id FROM v_results WHERE experiment = 'a' ORDER BY id)"),
      "kept");
  EXPECT_EQ(one(store, "SELECT count(*) FROM v_results WHERE experiment = 'b'"), "1");  // b's link stays
  EXPECT_EQ(one(store, "SELECT count(*) FROM metrics WHERE cell_id = 'old'"), "3");      // results kept
  EXPECT_EQ(store.record_whole_plan("a", {"kept", "new"}), 0);                          // idempotent
}

TEST(ResultsStore, CellStatesSkipsUnknownIdsAndKeepsOrder) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(3));
  auto states = store.cell_states({"c2", "nope", "c0"});
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].id, "c2");
  EXPECT_EQ(states[1].id, "c0");
}

TEST(ResultsStore, FinishedCellsAppearInResultsAndSummaryViews) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(4));
  const double acc[] = {0.80, 0.85, 0.90}, f1[] = {0.7, 0.8, 1.0};
  const int ffnn[] = {50, 60, 70};
  for (int i = 0; i < 3; ++i) {
    const std::string id = "c" + std::to_string(i);
    ASSERT_TRUE(store.claim_cell(id, "me", 60, false));
    store.finish_cell(result(id, acc[i], f1[i], ffnn[i]));
  }
  // c3 stays pending: not in the views.
  QueryResult r = store.query(
      "SELECT id, experiment, task, seed, eval_split, accuracy, macro_f1, gate_entropy_bits, ffnn_share, gru_share, "
      "train_seconds, infer_s_per_sample, f1 FROM v_results ORDER BY id");
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0][0], "c0");
  EXPECT_EQ(r.rows[0][1], "exp");
  EXPECT_EQ(r.rows[0][2], "agnews");
  EXPECT_EQ(r.rows[2][3], "2");
  EXPECT_EQ(r.rows[0][4], "test");
  EXPECT_EQ(r.rows[1][5], "0.85");
  EXPECT_EQ(r.rows[2][6], "1");
  EXPECT_EQ(r.rows[0][7], "0.5");  // the last epoch's entropy
  EXPECT_EQ(r.rows[1][8], "0.6");  // 60 of 100 test samples (train routing ignored)
  EXPECT_EQ(r.rows[1][9], "0.4");
  EXPECT_EQ(r.rows[0][10], "10");
  EXPECT_EQ(r.rows[0][11], "0.001");
  EXPECT_EQ(r.rows[0][12], "");  // no f1 metric: NULL

  QueryResult s = store.query(
      "SELECT n, accuracy_mean, accuracy_std, macro_f1_mean, macro_f1_std, ffnn_share_mean, ffnn_share_std, "
      "train_seconds_std, f1_std FROM v_summary");
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.rows[0][0], "3");
  EXPECT_NEAR(std::stod(s.rows[0][1]), 0.85, 1e-12);
  EXPECT_NEAR(std::stod(s.rows[0][2]), 0.05, 1e-12);
  EXPECT_NEAR(std::stod(s.rows[0][3]), 2.5 / 3, 1e-12);
  EXPECT_NEAR(std::stod(s.rows[0][4]), std::sqrt(0.07 / 3), 1e-12);  // deviations -2/15, -1/30, 1/6
  EXPECT_NEAR(std::stod(s.rows[0][5]), 0.6, 1e-12);
  EXPECT_NEAR(std::stod(s.rows[0][6]), 0.1, 1e-12);
  EXPECT_EQ(s.rows[0][7], "0");  // identical values: zero, not NaN
  EXPECT_EQ(s.rows[0][8], "");   // no values: NULL
}

TEST(ResultsStore, SummaryStdIsNullForOneSeedAndGroupsPerVariant) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, {spec("h0", "exp", 0, "hecto"), spec("h1", "exp", 1, "hecto"), spec("f0", "exp", 0, "ffnn")});
  for (const char* id : {"h0", "h1", "f0"}) {
    ASSERT_TRUE(store.claim_cell(id, "me", 60, false));
    store.finish_cell(result(id, 0.5, 0.5));
  }
  QueryResult s = store.query("SELECT variant, n, accuracy_std FROM v_summary ORDER BY variant");
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0], (std::vector<std::string>{"ffnn", "1", ""}));
  EXPECT_EQ(s.rows[1], (std::vector<std::string>{"hecto", "2", "0"}));
}

TEST(ResultsStore, FinishWritesEveryRecord) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "me", 60, false));
  store.finish_cell(result("c0", 0.8, 0.7));
  EXPECT_EQ(one(store, "SELECT count(*) FROM metrics WHERE cell_id = 'c0'"), "3");
  EXPECT_EQ(one(store, "SELECT count(*) FROM epochs WHERE cell_id = 'c0'"), "2");
  EXPECT_EQ(one(store, "SELECT share FROM epoch_expert_share WHERE cell_id = 'c0' AND epoch = 2 AND expert = 1"),
            "0.5");
  EXPECT_EQ(one(store, "SELECT value FROM epoch_metrics WHERE cell_id = 'c0' AND epoch = 1"), "0.79");
  EXPECT_EQ(one(store, "SELECT expert_share_json FROM epochs WHERE cell_id = 'c0' AND epoch = 1"), "[0.5,0.5]");
  EXPECT_EQ(one(store, "SELECT count(*) FROM routing WHERE cell_id = 'c0'"), "3");
  EXPECT_EQ(one(store, "SELECT git_commit || ' ' || threads || ' ' || host FROM provenance"), "abc123 2 testhost");
  EXPECT_EQ(one(store, "SELECT sha256 FROM data_files WHERE path = '/data/ag_news/test.csv'"), "ff00");
  EXPECT_EQ(one(store,
                "SELECT status || ' ' || attempts || ' ' || coalesce(owner, '-') || ' ' || finished_at "
                "FROM cells"),
            "done 1 - 2025-01-01T00:00:00Z");
  // Storing again (a rerun) replaces the rows instead of duplicating them.
  store.finish_cell(result("c0", 0.9, 0.7));
  EXPECT_EQ(one(store, "SELECT count(*) FROM metrics WHERE cell_id = 'c0'"), "3");
  EXPECT_EQ(one(store, "SELECT accuracy FROM v_results"), "0.9");
}

TEST(ResultsStore, FinishIsAtomic) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "me", 60, false));
  CellResult bad = result("c0", 0.8, 0.7);
  bad.epochs.push_back(bad.epochs.back());  // epoch 2 twice: the primary key rejects it mid-write
  EXPECT_THROW(store.finish_cell(bad), common::RunError);
  // Metrics were written before the epochs: the rollback must have taken them away.
  EXPECT_EQ(one(store, "SELECT count(*) FROM metrics"), "0");
  EXPECT_EQ(one(store, "SELECT count(*) FROM epochs"), "0");
  EXPECT_EQ(one(store, "SELECT count(*) FROM routing"), "0");
  EXPECT_EQ(one(store, "SELECT status FROM cells WHERE id = 'c0'"), "running");
  // A good result afterwards goes through.
  store.finish_cell(result("c0", 0.8, 0.7));
  EXPECT_EQ(one(store, "SELECT status FROM cells WHERE id = 'c0'"), "done");
}

TEST(ResultsStore, FinishingAnUnregisteredCellFails) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  try {
    store.finish_cell(result("ghost", 0.8, 0.7));
    FAIL() << "no error";
  } catch (const common::RunError& e) {
    EXPECT_NE(std::string(e.what()).find("ghost"), std::string::npos) << e.what();
  }
  EXPECT_EQ(one(store, "SELECT count(*) FROM metrics"), "0");
}

TEST(ResultsStore, NanMetricsAreStoredAsNull) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  CellResult r = result("c0", std::nan(""), 0.7);
  store.finish_cell(r);
  EXPECT_EQ(one(store, "SELECT typeof(accuracy) FROM v_results"), "null");
}

TEST(ResultsStore, RecordsBenchmarks) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  BenchmarkRecord b;
  b.name = "encode_tokens_per_second";
  b.value = 12345.5;
  b.unit = "tokens/s";
  b.params_json = "{\"batch_size\":32}";
  b.provenance.threads = 2;
  b.provenance.host = "h";
  store.record_benchmark(b);
  EXPECT_EQ(one(store, "SELECT name || ' ' || value || ' ' || unit || ' ' || threads || ' ' || host FROM bench"),
            "encode_tokens_per_second 12345.5 tokens/s 2 h");
  EXPECT_EQ(one(store, "SELECT length(recorded_at) FROM bench"), "20");
}

}  // namespace
}  // namespace hecto::results

namespace hecto::results {

namespace {

// Writes at `path` a database as schema `version` left it (its migrations and version stamps),
// holding one finished cell 'c1' of experiment 'old' on `task` with one eval metric, then `rows`.
void write_old_database(const std::string& path, int version, const std::string& task, const std::string& metric,
                        double value, const std::string& rows = "") {
  std::string sql;
  for (int v = 0; v < version; ++v) sql += migrations()[static_cast<size_t>(v)];
  sql += "PRAGMA user_version = " + std::to_string(version) + ";\nPRAGMA application_id = 1212498772;\n" +
         "INSERT INTO experiments VALUES ('old', 'old.toml', '', '2025-01-01T00:00:00Z');\n"
         "INSERT INTO cells(id, experiment, config_json, status, created_at, task, seed, batch_size, variant, "
         "encoder_mode) VALUES ('c1', 'old', '{\"model\":{\"kind\":\"hecto\"}}', 'done', '2025-01-01T00:00:00Z', '" +
         task + "', 0, 16, 'hecto', 'finetuned');\n"
         "INSERT INTO cell_experiments VALUES ('c1', 'old');\n"
         "INSERT INTO metrics VALUES ('c1', 'eval', '" + metric + "', " + std::to_string(value) + ");\n" + rows;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
  const std::string error = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(raw);
  ASSERT_EQ(rc, SQLITE_OK) << error;
}

}  // namespace

// A database written by the v1 schema opens as the latest with its results intact; cells that
// predate the device and precision columns read as the CPU in fp32 (all v1 cells were).
TEST(ResultsStore, AVersionOneDatabaseMigratesKeepingItsResults) {
  testing::TempDir dir;
  const std::string path = (dir / "v1.db").string();
  ASSERT_NO_FATAL_FAILURE(write_old_database(path, 1, "agnews", "accuracy", 0.5,
                                             "INSERT INTO provenance(cell_id, git_commit) VALUES ('c1', 'abc');"));
  Store store = Store::open(path);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  const auto r = store.query("SELECT accuracy, device, precision, model_kind FROM v_results WHERE id = 'c1'");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], "0.5");
  EXPECT_EQ(r.rows[0][1], "cpu");
  EXPECT_EQ(r.rows[0][2], "fp32");
  EXPECT_EQ(r.rows[0][3], "hecto");
  EXPECT_EQ(one(store, "SELECT n FROM v_summary"), "1");
  EXPECT_EQ(store.integrity_check(), "ok");
}

// After an upgrade, the commands that only read (report, query, a merge's input) open an older
// database too: it is migrated in place first, as the next run would do.
TEST(ResultsStore, AnOlderDatabaseOpenedToBeReadIsMigratedFirst) {
  testing::TempDir dir;
  const std::string path = (dir / "v5.db").string();
  ASSERT_NO_FATAL_FAILURE(write_old_database(path, 5, "agnews", "accuracy", 0.5));
  Store store = Store::open(path, Store::Mode::ReadOnly);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(one(store, "SELECT accuracy FROM v_results WHERE id = 'c1'"), "0.5");
  EXPECT_EQ(one(store, "SELECT count(*) FROM pragma_table_info('experiments') WHERE name = 'plan_cells'"), "1");
}

// v3: a v2 database keeps its cells (their data source unknown: NULL), and new cells record the
// source of each data file; v_results calls a cell staged when any file it read was staged, and
// v_summary never averages cells of different sources.
TEST(ResultsStore, AVersionTwoDatabaseMigratesAndCellsRecordTheirDataSource) {
  testing::TempDir dir;
  const std::string path = (dir / "v2.db").string();
  ASSERT_NO_FATAL_FAILURE(write_old_database(path, 2, "agnews", "accuracy", 0.5,
                                             "INSERT INTO data_files VALUES ('c1', '/data/ag_news/test.csv', 'ff00');"));
  Store store = Store::open(path);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(one(store, "SELECT coalesce(data_source, 'NULL') FROM v_results WHERE id = 'c1'"), "NULL");
  EXPECT_EQ(one(store, "SELECT coalesce(source, 'NULL') FROM data_files WHERE cell_id = 'c1'"), "NULL");

  register_cells(store, {spec("staged1", "exp", 0), spec("official1", "exp", 1), spec("official2", "exp", 2)});
  auto staged = result("staged1", 0.8, 0.7);
  staged.provenance.data_sha256 = {{"/d/ag_news/test.csv", "aa"}, {"/d/ag_news/train_sample_5k.csv", "bb"}};
  staged.provenance.data_source = {{"/d/ag_news/test.csv", "official"}, {"/d/ag_news/train_sample_5k.csv", "staged"}};
  store.finish_cell(staged);
  for (const char* id : {"official1", "official2"}) {
    auto official = result(id, 0.9, 0.8);
    official.provenance.data_sha256 = {{"/d/ag_news/test.csv", "aa"}, {"/d/ag_news/train.csv", "cc"}};
    official.provenance.data_source = {{"/d/ag_news/test.csv", "official"}, {"/d/ag_news/train.csv", "official"}};
    store.finish_cell(official);
  }
  EXPECT_EQ(one(store, "SELECT source FROM data_files WHERE cell_id = 'staged1' AND path LIKE '%5k.csv'"), "staged");
  EXPECT_EQ(one(store, "SELECT data_source FROM v_results WHERE id = 'staged1'"), "staged");
  EXPECT_EQ(one(store, "SELECT data_source FROM v_results WHERE id = 'official1'"), "official");
  EXPECT_EQ(one(store, "SELECT n FROM v_summary WHERE experiment = 'exp' AND data_source = 'official'"), "2");
  EXPECT_EQ(one(store, "SELECT n FROM v_summary WHERE experiment = 'exp' AND data_source = 'staged'"), "1");
  EXPECT_EQ(store.integrity_check(), "ok");
}

// v5: a v4 database's cells read [CLS] (their config predates model.pooling); new cells record
// their view, and v_summary never averages two views.
TEST(ResultsStore, AVersionFourDatabaseMigratesAndCellsRecordTheirPooling) {
  testing::TempDir dir;
  const std::string path = (dir / "v4.db").string();
  ASSERT_NO_FATAL_FAILURE(write_old_database(path, 4, "stsb", "pearson", 0.1));
  Store store = Store::open(path);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(one(store, "SELECT pooling FROM v_results WHERE id = 'c1'"), "cls");

  auto pair_spec = [](const std::string& id, int seed) {
    auto s = spec(id, "exp", seed);
    s.config_json = "{\"model\":{\"kind\":\"hecto\",\"pooling\":\"pair\"},\"seed\":" + std::to_string(seed) + "}";
    return s;
  };
  register_cells(store, {pair_spec("pair0", 0), pair_spec("pair1", 1), spec("cls0", "exp", 0)});
  for (const char* id : {"pair0", "pair1", "cls0"}) store.finish_cell(result(id, 0.8, 0.7));
  EXPECT_EQ(one(store, "SELECT pooling FROM v_results WHERE id = 'pair1'"), "pair");
  EXPECT_EQ(one(store, "SELECT pooling FROM v_results WHERE id = 'cls0'"), "cls");
  EXPECT_EQ(one(store, "SELECT n FROM v_summary WHERE experiment = 'exp' AND pooling = 'pair'"), "2");
  EXPECT_EQ(one(store, "SELECT n FROM v_summary WHERE experiment = 'exp' AND pooling = 'cls'"), "1");
  EXPECT_EQ(store.integrity_check(), "ok");
}

}  // namespace hecto::results
