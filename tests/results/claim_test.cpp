#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <thread>

#include "common/error.h"
#include "results/store.h"
#include "tests/results/results_fixtures.h"
#include "tests/testing.h"

namespace hecto::results {
namespace {

using namespace fixtures;

CellState state(const Store& store, const std::string& id) {
  auto s = store.cell_states({id});
  EXPECT_EQ(s.size(), 1u);
  return s.empty() ? CellState{} : s[0];
}

TEST(ResultsClaim, ValidLeaseKeepsOthersOut) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  EXPECT_TRUE(store.claim_cell("c0", "host:1", 600, false));
  EXPECT_FALSE(store.claim_cell("c0", "host:2", 600, false));
  EXPECT_FALSE(store.claim_cell("c0", "host:1", 600, false));  // not twice, even by its holder
  CellState s = state(store, "c0");
  EXPECT_EQ(s.status, CellStatus::Running);
  EXPECT_EQ(s.owner, "host:1");
  EXPECT_EQ(s.attempts, 1);
}

TEST(ResultsClaim, ExpiredLeaseCanBeTakenOver) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  EXPECT_TRUE(store.claim_cell("c0", "dead:1", -1, false));  // a lease already in the past
  EXPECT_TRUE(store.claim_cell("c0", "alive:2", 600, false));
  CellState s = state(store, "c0");
  EXPECT_EQ(s.owner, "alive:2");
  EXPECT_EQ(s.attempts, 2);
  // The process that lost the lease learns it when renewing.
  EXPECT_THROW(store.renew_lease("c0", "dead:1", 600), common::RunError);
  EXPECT_NO_THROW(store.renew_lease("c0", "alive:2", 600));
}

TEST(ResultsClaim, RenewingKeepsTheLeaseAlive) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "a", -1, false));
  store.renew_lease("c0", "a", 600);
  EXPECT_FALSE(store.claim_cell("c0", "b", 600, false));
}

TEST(ResultsClaim, DoneCellsAreNeverClaimable) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "a", 600, false));
  store.finish_cell(result("c0", 0.8, 0.7));
  EXPECT_FALSE(store.claim_cell("c0", "b", 600, false));
  EXPECT_FALSE(store.claim_cell("c0", "b", 600, true));
  EXPECT_EQ(state(store, "c0").status, CellStatus::Done);
  EXPECT_FALSE(store.claim_cell("unknown", "b", 600, true));
}

TEST(ResultsClaim, FailedCellsNeedRetryFailed) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "a", 600, false));
  store.fail_cell("c0", "loss became NaN at step 12");
  CellState failed = state(store, "c0");
  EXPECT_EQ(failed.status, CellStatus::Failed);
  EXPECT_EQ(failed.error, "loss became NaN at step 12");
  EXPECT_EQ(failed.owner, "");
  EXPECT_FALSE(store.claim_cell("c0", "b", 600, false));
  EXPECT_TRUE(store.claim_cell("c0", "b", 600, true));
  EXPECT_EQ(state(store, "c0").attempts, 2);
}

TEST(ResultsClaim, ReleasePutsTheCellBack) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(1));
  ASSERT_TRUE(store.claim_cell("c0", "a", 600, false));
  store.release_cell("c0", "someone else");  // not theirs: no effect
  EXPECT_EQ(state(store, "c0").status, CellStatus::Running);
  store.release_cell("c0", "a");
  CellState s = state(store, "c0");
  EXPECT_EQ(s.status, CellStatus::Pending);
  EXPECT_EQ(s.owner, "");
  EXPECT_TRUE(store.claim_cell("c0", "b", 600, false));
}

TEST(ResultsClaim, RegisteringAgainKeepsStatus) {
  testing::TempDir dir;
  Store store = Store::open((dir / "hecto.db").string());
  register_cells(store, specs(2));
  ASSERT_TRUE(store.claim_cell("c0", "a", 600, false));
  store.finish_cell(result("c0", 0.8, 0.7));
  register_cells(store, specs(2));
  EXPECT_EQ(state(store, "c0").status, CellStatus::Done);
}

TEST(ResultsClaim, TwoWritersNeverClaimTheSameCell) {
  testing::TempDir dir;
  const std::string path = (dir / "hecto.db").string();
  {
    Store store = Store::open(path);
    register_cells(store, specs(100));
  }
  std::vector<std::string> claimed[2];
  auto worker = [&](int w) {
    Store store = Store::open(path);  // each thread its own connection, as separate processes would
    std::vector<std::string> ids;
    for (int i = 0; i < 100; ++i) ids.push_back("c" + std::to_string(i));
    std::shuffle(ids.begin(), ids.end(), std::mt19937(w + 1));
    for (const auto& id : ids) {
      if (claimed[w].size() == 50) break;
      if (store.claim_cell(id, "worker" + std::to_string(w), 600, false)) {
        claimed[w].push_back(id);
        store.finish_cell(result(id, 0.5, 0.5));
      }
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(claimed[0].size(), 50u);
  EXPECT_EQ(claimed[1].size(), 50u);
  std::set<std::string> all(claimed[0].begin(), claimed[0].end());
  all.insert(claimed[1].begin(), claimed[1].end());
  EXPECT_EQ(all.size(), 100u);  // disjoint and complete
  Store store = Store::open(path);
  for (const auto& s : store.experiment_cells("exp")) {
    EXPECT_EQ(s.status, CellStatus::Done) << s.id;
    EXPECT_EQ(s.attempts, 1) << s.id;
  }
  EXPECT_EQ(store.integrity_check(), "ok");
}

}  // namespace
}  // namespace hecto::results
