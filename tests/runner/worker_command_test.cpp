// A --jobs worker's command line comes from the parsed options, whatever form the user typed.
#include <gtest/gtest.h>

#include <algorithm>

#include "runner/worker_command.h"

using hecto::runner::RunOptions;
using hecto::runner::worker_arguments;

namespace {
// The value following `flag`, or "" when the flag is absent.
std::string value_after(const std::vector<std::string>& a, const std::string& flag) {
  auto it = std::find(a.begin(), a.end(), flag);
  return it == a.end() || it + 1 == a.end() ? "" : *(it + 1);
}
}  // namespace

TEST(WorkerCommand, RunsTheSameExperimentWithOneJobAndItsShareOfThreads) {
  RunOptions o;
  o.experiment_file = "exp.toml";
  o.db_path = "out.db";
  o.overrides = {"train.lr=3e-5", "data.task=sst2"};
  o.only = {"variant=hecto,top2"};
  o.profile = "cpu";
  o.data_dir = "/data";
  o.shard = "1/3";
  o.jobs = "4";
  o.retry_failed = true;
  o.no_cache = true;
  o.pad_to_max = true;
  o.cache_dir = "c";
  o.lease_seconds = 99;
  o.verbosity = 2;
  o.log_file = "log.txt";
  o.precision = "bf16";
  const auto a = worker_arguments(o, 3, "cuda:0");
  EXPECT_EQ(a.front(), "/proc/self/exe");
  EXPECT_EQ(std::count(a.begin(), a.end(), "-v"), 2);
  EXPECT_EQ(value_after(a, "--log-file"), "log.txt");
  EXPECT_EQ(value_after(a, "--threads"), "3");
  EXPECT_EQ(value_after(a, "run"), "exp.toml");
  // Global options before the subcommand, where the CLI reads them.
  EXPECT_LT(std::find(a.begin(), a.end(), "--threads"), std::find(a.begin(), a.end(), "run"));
  EXPECT_EQ(value_after(a, "--jobs"), "1");
  EXPECT_EQ(std::count(a.begin(), a.end(), "--jobs"), 1);
  EXPECT_EQ(std::count(a.begin(), a.end(), "--set"), 2);
  EXPECT_EQ(value_after(a, "--set"), "train.lr=3e-5");
  EXPECT_EQ(value_after(a, "--only"), "variant=hecto,top2");  // a worker plans the same subset
  EXPECT_EQ(value_after(a, "--db"), "out.db");
  EXPECT_EQ(value_after(a, "--profile"), "cpu");
  EXPECT_EQ(value_after(a, "--data-dir"), "/data");
  EXPECT_EQ(value_after(a, "--shard"), "1/3");
  EXPECT_EQ(value_after(a, "--cache-dir"), "c");
  EXPECT_EQ(value_after(a, "--lease"), "99");
  EXPECT_EQ(value_after(a, "--device"), "cuda:0");
  EXPECT_EQ(value_after(a, "--precision"), "bf16");
  for (const char* flag : {"--retry-failed", "--no-cache", "--pad-to-max"})
    EXPECT_EQ(std::count(a.begin(), a.end(), flag), 1) << flag;
}

TEST(WorkerCommand, QuietFlagsAndDefaultsStayOut) {
  RunOptions o;
  o.experiment_file = "exp.toml";
  o.verbosity = -1;
  const auto a = worker_arguments(o, 1, "cpu");
  EXPECT_EQ(std::count(a.begin(), a.end(), "-q"), 1);
  for (const char* flag :
       {"--log-file", "--profile", "--data-dir", "--shard", "--retry-failed", "--no-cache", "--precision"})
    EXPECT_EQ(std::count(a.begin(), a.end(), flag), 0) << flag;
}
