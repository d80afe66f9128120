#pragma once
// A plan over a fake data set: each task reads <data_dir>/<task>.txt, so tests control exactly
// what a cell id hashes. Shared by the plan tests (experiment/) and the plan summary tests (runner/).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "experiment/plan.h"
#include "tests/testing.h"

namespace hecto::testing {

using experiment::load_plan;
using experiment::Plan;
using experiment::PlanOptions;
using experiment::set_data_files_hook;

// A fake data set: each task reads <data_dir>/<task>.txt, so tests control exactly what is hashed.
class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(data_ / "agnews.txt", "agnews v1");
    write_file(data_ / "sst2.txt", "sst2 v1");
    write_file(data_ / "stsb.txt", "stsb v1");
    set_data_files_hook([](const hecto::experiment::Config& c, const std::string& dir) {
      return std::vector<std::string>{dir + "/" + c.data.task + ".txt"};
    });
  }
  void TearDown() override { set_data_files_hook({}); }

  Plan plan(const std::string& text, const std::string& name = "exp.toml", std::vector<std::string> sets = {}) {
    PlanOptions o;
    o.data_dir = data_.path().string();
    o.overrides = std::move(sets);
    return load_plan(write_file(dir_ / name, text).string(), o);
  }

  TempDir dir_, data_;
};

inline const char* kMatrix = R"(name = "ids"
[defaults]
encoder.source = "random"
train.epochs = 2
[variants.hecto]
[variants.ffnn_ffnn]
model.experts = ["ffnn", "ffnn"]
[matrix]
task = ["agnews", "sst2"]
seed = [0, 1, 2]
variant = ["hecto", "ffnn_ffnn"]
[pretrain]
steps = 5
)";

inline std::vector<std::string> ids(const Plan& p) {
  std::vector<std::string> out;
  for (const auto& c : p.cells) out.push_back(c.id);
  return out;
}

}  // namespace hecto::testing
