#pragma once
// Checks made before an encoder is built, so a wrong or hostile config.json ends in one clear
// line instead of LibTorch trying to allocate 128 GB: its sizes against the shapes the weights
// file declares (read from the safetensors header, no tensor loaded), and the weights' size
// against the machine's memory.
#include <cstdint>
#include <string>

#include "model/encoder_config.h"
#include "model/safetensors_header.h"

namespace hecto::model {

// InputError at config_path naming the first size that disagrees with a tensor's shape (vocab_size
// and dim from the word embeddings, max_position_embeddings, hidden_dim, n_layers).
void check_config_matches_weights(const EncoderConfig& config, const SafetensorsHeader& weights,
                                  const std::string& config_path);

// fp32 bytes of the encoder's parameters, computed without overflow for any sizes.
double encoder_parameter_bytes(const EncoderConfig& config);
// InputError naming `source` when the parameters alone would take more than 80% of
// `memory_bytes` (0 = this machine's physical memory).
void check_fits_in_memory(const EncoderConfig& config, const std::string& source, double memory_bytes = 0);

}  // namespace hecto::model
