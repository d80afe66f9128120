#include <gtest/gtest.h>

#include "runner/job_policy.h"

namespace hecto::runner {

using experiment::Config;
namespace {

constexpr int64_t GiB = int64_t{1} << 30;

Config base_finetuned() {
  Config c;  // defaults: DistilBERT-base, fine-tuned, batch 16, max_len 128
  return c;
}

Config small(experiment::EncoderMode mode) {
  Config c;
  c.encoder.mode = mode;
  c.encoder.source = experiment::EncoderSource::Random;  // a checkpoint's shape is estimated as DistilBERT-base
  c.encoder.dim = 256;
  c.encoder.n_layers = 4;
  c.encoder.n_heads = 4;
  c.encoder.hidden_dim = 1024;
  c.data.max_len = 64;
  return c;
}

TEST(JobPolicy, DistilBertBaseFineTunedEstimateIsNearTheMeasured2_7GB) {
  const double gib = static_cast<double>(estimated_cell_bytes(base_finetuned())) / GiB;
  EXPECT_GT(gib, 1.5);
  EXPECT_LT(gib, 4.0);
}

TEST(JobPolicy, FrozenCellsNeedLessThanFineTunedOnes) {
  EXPECT_LT(estimated_cell_bytes(small(experiment::EncoderMode::Frozen)),
            estimated_cell_bytes(small(experiment::EncoderMode::Finetuned)));
}

TEST(JobPolicy, OneJobPerCoreWhenMemoryAllows) {
  EXPECT_EQ(auto_jobs(2,
                      {small(experiment::EncoderMode::Finetuned), small(experiment::EncoderMode::Frozen),
                       small(experiment::EncoderMode::Finetuned)},
                      24 * GiB),
            2);
  EXPECT_EQ(auto_jobs(2, {base_finetuned(), base_finetuned()}, 24 * GiB), 2);
}

TEST(JobPolicy, NeverMoreJobsThanCells) {
  EXPECT_EQ(auto_jobs(8, {small(experiment::EncoderMode::Frozen)}, 24 * GiB), 1);
  EXPECT_EQ(auto_jobs(8, {}, 24 * GiB), 1);
}

TEST(JobPolicy, MemoryCapsTheJobs) {
  const std::vector<Config> cells(8, base_finetuned());
  const int64_t one = estimated_cell_bytes(base_finetuned());
  // 80% of the memory holds exactly three of the largest cell.
  EXPECT_EQ(auto_jobs(8, cells, (one * 3 + one / 2) * 10 / 8), 3);
  EXPECT_EQ(auto_jobs(8, cells, one / 2), 1);
}


TEST(JobPolicy, MeasuredPeakOfTheSameShapeReplacesTheEstimate) {
  const Config cell = base_finetuned();
  const int64_t estimate = estimated_cell_bytes(cell);
  MeasuredPeaks measured{{memory_shape(cell.to_json()), 6 * GiB}};
  EXPECT_EQ(planned_cell_bytes(cell, measured), 6 * GiB + 6 * GiB / 10);
  // 24 GiB: the estimate (about 2 GiB) allows 8 jobs, the measured 6.6 GiB only 2.
  const std::vector<Config> cells(8, cell);
  EXPECT_EQ(auto_jobs(8, cells, 24 * GiB), std::min<int64_t>(8, (24 * GiB / 10 * 8) / estimate));
  EXPECT_EQ(auto_jobs(8, cells, 24 * GiB, measured), 2);
}

TEST(JobPolicy, SeedsAndLearningRatesShareAShapeButBatchSizeDoesNot) {
  Config a = small(experiment::EncoderMode::Finetuned), b = a;
  b.seed = 7;
  b.train.lr = 3e-5;
  b.model.lambda_ent = 0.2;
  EXPECT_EQ(memory_shape(a.to_json()), memory_shape(b.to_json()));
  b.train.batch_size = 64;
  EXPECT_NE(memory_shape(a.to_json()), memory_shape(b.to_json()));
  // A shape nobody measured keeps the estimate.
  const MeasuredPeaks measured{{memory_shape(b.to_json()), 9 * GiB}};
  EXPECT_EQ(planned_cell_bytes(a, measured), estimated_cell_bytes(a));
}

}  // namespace
}  // namespace hecto::runner
