#pragma once
// The floors: what a model without any encoder gets on the same splits, so every table says how
// far above a bag of words a figure sits. They run as cells like any other (same splits, seeds,
// provenance, database rows), in seconds:
//   majority      the most frequent training class; for regression the mean training score
//   tfidf_linear  word 1..floor.max_ngram TF-IDF (floors/tfidf.h) and LIBLINEAR: logistic
//                 regression for classes, ridge for scores; a sentence pair becomes the features
//                 [cosine(a, b), |a - b|, a * b]
//   tfidf_cosine  sentence pairs only, untrained: the cosine of the two TF-IDF vectors (idf from
//                 the training sentences), reported on the task's scale
#include <string>

#include "experiment/config.h"
#include "results/records.h"

namespace hecto::floors {

bool is_floor(experiment::ModelKind kind);

// InputError for a floor that cannot run on the config's task (tfidf_cosine without pairs).
results::CellResult train_and_evaluate(const experiment::Config& config, const std::string& data_dir);

}  // namespace hecto::floors
