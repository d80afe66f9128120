#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"
#include "results/schema.h"
#include "results/store.h"
#include "tests/results/results_fixtures.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

using namespace fixtures;

class ResultsQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(Store::open((dir_ / "hecto.db").string()));
    register_cells(*store_, specs(2));
    store_->finish_cell(result("c0", 0.8, 0.7));
  }
  std::string refusal(const std::string& sql) {
    try {
      store_->query(sql);
    } catch (const common::InputError& e) {
      return e.what();
    }
    return "";
  }
  size_t cell_count() { return store_->experiment_cells("exp").size(); }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(ResultsQuery, ReturnsColumnsRowsAndTypes) {
  QueryResult r = store_->query("SELECT id, seed, accuracy, NULL AS absent, x'0aff' AS b FROM v_results");
  EXPECT_EQ(r.columns, (std::vector<std::string>{"id", "seed", "accuracy", "absent", "b"}));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0], (std::vector<std::string>{"c0", "0", "0.8", "", "x'0aff'"}));
  ASSERT_EQ(r.types.size(), 1u);
  EXPECT_EQ(r.types[0], (std::vector<ValueType>{ValueType::Text, ValueType::Integer, ValueType::Real, ValueType::Null,
                                                ValueType::Blob}));
}

TEST_F(ResultsQuery, RealsRoundTrip) {
  QueryResult r = store_->query("SELECT 0.1 + 0.2, 1.0/3, 1e300 * 10, 2.0");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(std::stod(r.rows[0][0]), 0.1 + 0.2);
  EXPECT_EQ(std::stod(r.rows[0][1]), 1.0 / 3);
  EXPECT_EQ(r.rows[0][3], "2");
}

TEST_F(ResultsQuery, SeveralStatementsRunAndTheLastResultIsReturned) {
  QueryResult r = store_->query("SELECT 1; -- a comment\n SELECT count(*) AS n FROM cells;  ");
  EXPECT_EQ(r.columns, std::vector<std::string>{"n"});
  EXPECT_EQ(r.rows[0][0], "2");
  EXPECT_TRUE(store_->query("  -- nothing\n").rows.empty());
}

TEST_F(ResultsQuery, ReadingPragmasWithAndExplainAreAllowed) {
  EXPECT_EQ(store_->query("PRAGMA table_info(cells)").rows.size(), 18u);
  EXPECT_EQ(store_->query("WITH t(x) AS (VALUES (1), (2)) SELECT sum(x) FROM t").rows[0][0], "3");
  EXPECT_FALSE(store_->query("EXPLAIN QUERY PLAN SELECT * FROM v_summary").rows.empty());
}

TEST_F(ResultsQuery, RefusesEveryKindOfWrite) {
  for (const char* sql :
       {"INSERT INTO experiments(name, registered_at) VALUES ('x', 'now')", "UPDATE cells SET status = 'done'",
        "DELETE FROM cells", "DROP TABLE metrics", "DROP VIEW v_results", "CREATE TABLE t(x)", "CREATE TEMP TABLE t(x)",
        "ALTER TABLE cells ADD COLUMN x", "PRAGMA user_version = 7", "PRAGMA journal_mode = DELETE", "VACUUM",
        "REINDEX", "ANALYZE", "ATTACH DATABASE 'other.db' AS other", "DETACH DATABASE main",
        "REPLACE INTO meta(key, value) VALUES ('schema_version', '9')"}) {
    std::string msg = refusal(sql);
    EXPECT_NE(msg.find("query is read-only"), std::string::npos) << sql << " -> '" << msg << "'";
  }
  EXPECT_EQ(cell_count(), 2u);
  EXPECT_EQ(store_->schema_version(), latest_schema_version());
  EXPECT_FALSE(std::filesystem::exists("other.db"));
}

TEST_F(ResultsQuery, AWriteHiddenAfterAReadRunsNothing) {
  std::string msg = refusal("SELECT 1; DELETE FROM cells");
  EXPECT_NE(msg.find("DELETE FROM cells"), std::string::npos) << msg;
  EXPECT_EQ(cell_count(), 2u);
}

TEST_F(ResultsQuery, SqlErrorsAreInputErrorsWithSqlitesMessage) {
  std::string msg = refusal("SELECT no_such_column FROM cells");
  EXPECT_NE(msg.find("no such column"), std::string::npos) << msg;
  EXPECT_NE(refusal("SELEKT 1").find("syntax error"), std::string::npos);
}

TEST_F(ResultsQuery, ReadOnlyStoreQueriesToo) {
  Store reader = Store::open((dir_ / "hecto.db").string(), Store::Mode::ReadOnly);
  EXPECT_EQ(reader.query("SELECT count(*) FROM v_results").rows[0][0], "1");
  EXPECT_THROW(reader.query("DELETE FROM cells"), common::InputError);
  EXPECT_THROW(reader.register_experiment("x", "", "", {}), common::RunError);
}

}  // namespace
}  // namespace hecto::results
