#pragma once
// How many cells `hecto run --jobs auto` runs at once. One cell per core, each with one thread,
// beats one cell on every core: each job runs its own GEMMs without waiting on the other
// threads of a parallel region (on 2 cores with the dim 256 x 4 encoder, a fine-tuned cell took
// 36 s with 2 jobs x 1 thread, and one alone with 2 threads 40 s, measured under different load:
// see the README). Memory is the limit that remains: fine-tuning keeps weights, gradients,
// AdamW moments and activations per job.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/config.h"

namespace hecto::runner {

// Bytes one cell may hold at its peak, an estimate from its config (encoder shape as
// estimated_shape gives it, batch, max_len): 16 bytes per encoder parameter when fine-tuned, activations, and a fixed
// 0.5 GiB for the process. DistilBERT-base fine-tuned at 16 x 128 comes to about 2.1 GiB (2.7 GB measured).
int64_t estimated_cell_bytes(const experiment::Config& config);

// What a cell's peak memory depends on, from its config JSON: the encoder (weights and shape) and
// its mode, task and sample counts (a frozen cell holds its cached features), max_len, batch
// sizes, padding, precision and the head. Seeds, learning rates and loss weights do not enter.
std::string memory_shape(const nlohmann::json& config);

// The largest peak RSS measured on finished cells, by memory_shape.
using MeasuredPeaks = std::map<std::string, int64_t>;

// What one cell is planned for: the measured peak of finished cells of its shape plus 10% when
// there is one (the estimate can be off by 2x either way), else estimated_cell_bytes.
int64_t planned_cell_bytes(const experiment::Config& config, const MeasuredPeaks& measured);

// min(cores, cells, what 80% of `memory_bytes` holds of the largest planned cell), at least 1.
int auto_jobs(int cores, const std::vector<experiment::Config>& cells, int64_t memory_bytes,
              const MeasuredPeaks& measured = {});

}  // namespace hecto::runner
