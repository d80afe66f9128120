#pragma once
// A whole cell small enough for a test: 256 SST-2 sentences from ../shared/data, a seeded random
// dim 64 x 2 encoder, 2 epochs, evaluated once.
#include "experiment/config.h"

namespace hecto::testing {

inline experiment::Config tiny_cell() {
  experiment::Config c;
  c.data.task = "sst2";
  c.data.train_size = 256;
  c.data.eval_size = 256;
  c.data.max_len = 48;
  c.encoder.source = experiment::EncoderSource::Random;
  c.encoder.dim = 64;
  c.encoder.n_layers = 2;
  c.encoder.n_heads = 2;
  c.encoder.hidden_dim = 128;
  c.train.epochs = 2;
  c.train.lr = 1e-3;
  c.train.eval_schedule = experiment::EvalSchedule::Final;
  return c;
}

}  // namespace hecto::testing
