// `hecto bench` end to end with a stand-in benchmark binary (a shell script that answers like
// Google Benchmark), so the test takes no benchmark time.
#include <gtest/gtest.h>

#include <filesystem>

#include "results/store.h"
#include "tests/testing.h"

using hecto::testing::run_command;
using hecto::testing::TempDir;
using hecto::testing::write_file;

namespace {

std::string hecto_bin() { return (hecto::testing::binary_dir() / "hecto").string(); }

// Lists one benchmark; otherwise writes its arguments beside itself and JSON to --benchmark_out.
const char* kFakeBench = R"(#!/bin/sh
dir=$(dirname "$0")
for a in "$@"; do
  case "$a" in
    --benchmark_list_tests=true) echo BM_fake/batch:16; exit 0 ;;
    --benchmark_out=*) out="${a#--benchmark_out=}" ;;
  esac
done
echo "$@" > "$dir/args.txt"
echo "HECTO_THREADS=$HECTO_THREADS" >> "$dir/args.txt"
cat > "$out" <<'JSON'
{"context": {"hecto_commit": "c0ffee", "torch_threads": "1", "blas_core": "SkylakeX"},
 "benchmarks": [{"name": "BM_fake/batch:16", "run_name": "BM_fake/batch:16", "run_type": "iteration",
   "iterations": 7, "real_time": 12.5, "cpu_time": 12.0, "time_unit": "ms", "GFLOP/s": 42.0, "threads": 1}]}
JSON
)";

TEST(BenchCommand, StoresEveryFigureAndPrintsATable) {
  TempDir dir;
  const auto bin = write_file(dir / "bin" / "fake_bench", kFakeBench);
  std::filesystem::permissions(bin, std::filesystem::perms::owner_all);
  write_file(dir / "bin" / "notes.txt", "not a benchmark");
  const auto db = (dir / "bench.db").string();
  auto r = run_command(hecto_bin() + " --threads 1 bench --db " + db + " --bench-dir " + (dir / "bin").string() +
                       " --min-time 0.01 --filter fake");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("BM_fake/batch:16"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("GFLOP/s=42"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 figures"), std::string::npos) << r.output;

  auto args = run_command("cat " + (dir / "bin" / "args.txt").string()).output;
  EXPECT_NE(args.find("--benchmark_min_time=0.01"), std::string::npos) << args;
  EXPECT_NE(args.find("--benchmark_filter=fake"), std::string::npos) << args;
  EXPECT_NE(args.find("HECTO_THREADS=1"), std::string::npos) << args;

  auto store = hecto::results::Store::open(db, hecto::results::Store::Mode::ReadOnly);
  auto q = store.query("SELECT name, value, unit, git_commit, blas_core FROM bench ORDER BY name");
  ASSERT_EQ(q.rows.size(), 3u);
  EXPECT_EQ(q.rows[0][0], "BM_fake/batch:16 GFLOP/s");
  EXPECT_EQ(q.rows[0][1], "42");
  EXPECT_EQ(q.rows[2][0], "BM_fake/batch:16 real_time");
  EXPECT_EQ(q.rows[2][2], "ms");
  EXPECT_EQ(q.rows[2][3], "c0ffee");
  EXPECT_EQ(q.rows[2][4], "SkylakeX");
}

TEST(BenchCommand, NoBinariesIsBadInput) {
  TempDir dir;
  auto r = run_command(hecto_bin() + " bench --db " + (dir / "b.db").string() + " --bench-dir " + dir.path().string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no benchmark binaries"), std::string::npos) << r.output;
}

}  // namespace
