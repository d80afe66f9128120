#pragma once
// The facts about this process that every stored result carries.
#include <string>

#include "results/records.h"

namespace hecto::runtime {

std::string host_name();
// Fills build, BLAS, thread, CPU and host facts (data hashes and encoder come from the trainer).
void fill_process_provenance(results::Provenance& p);

}  // namespace hecto::runtime
