#pragma once
// How many cells `hecto run --jobs auto` runs at once. One cell per core, each with one thread,
// beats one cell on every core: each job runs its own GEMMs without waiting on the other
// threads of a parallel region (on 2 cores with the dim 256 x 4 encoder, a fine-tuned cell took
// 36 s with 2 jobs x 1 thread, and one alone with 2 threads 40 s, measured under different load:
// see the README). Memory is the limit that remains: fine-tuning keeps weights, gradients,
// AdamW moments and activations per job.
#include <cstdint>
#include <vector>

#include "experiment/config.h"

namespace hecto::runner {

// Bytes one cell may hold at its peak, an estimate from its config (encoder shape as
// estimated_shape gives it, batch, max_len): 16 bytes per encoder parameter when fine-tuned, activations, and a fixed
// 0.5 GiB for the process. DistilBERT-base fine-tuned at 16 x 128 comes to about 2.1 GiB (2.7 GB measured).
int64_t estimated_cell_bytes(const experiment::Config& config);

// min(cores, cells, what 80% of `memory_bytes` holds of the largest cell), at least 1.
int auto_jobs(int cores, const std::vector<experiment::Config>& cells, int64_t memory_bytes);

}  // namespace hecto::runner
