#include "model/rtd.h"

#include <ATen/CPUGeneratorImpl.h>

#include "common/error.h"

namespace hecto::model {

ReplacedTokens replace_tokens(const torch::Tensor& ids, const torch::Tensor& never_replace,
                              const torch::Tensor& unigram, torch::Generator& generator, double prob) {
  TORCH_CHECK(ids.sizes() == never_replace.sizes(), "replace_tokens: ids and never_replace differ in shape");
  TORCH_CHECK(prob >= 0.0 && prob <= 1.0, "replace_tokens: prob must lie in [0, 1]");
  const auto original = ids.to(torch::kLong);
  const auto chosen = (torch::rand(ids.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat32)) < prob)
                          .logical_and(never_replace.to(torch::kBool).logical_not());
  auto inputs = original.clone();
  const int64_t n = chosen.sum().item<int64_t>();
  if (n > 0) inputs.index_put_({chosen}, torch::multinomial(unigram.to(torch::kFloat32), n, true, generator));
  return {inputs, (inputs != original).to(torch::kFloat32)};
}

torch::Tensor unigram_weights(const torch::Tensor& ids, int64_t vocab_size, const std::vector<int64_t>& excluded) {
  auto counts = torch::bincount(ids.reshape({-1}).to(torch::kLong), {}, vocab_size).to(torch::kFloat32);
  for (const auto id : excluded) counts[id] = 0;
  return counts;
}

RtdHeadImpl::RtdHeadImpl(int64_t dim) {
  dense = register_module("dense", torch::nn::Linear(dim, dim));
  dense_prediction = register_module("dense_prediction", torch::nn::Linear(dim, 1));
}

torch::Tensor RtdHeadImpl::forward(const torch::Tensor& hidden) {
  return dense_prediction(torch::gelu(dense(hidden))).squeeze(-1);
}

void RtdHeadImpl::init_weights(uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (auto* layer : {&dense, &dense_prediction}) {
    (*layer)->weight.copy_(at::normal(0.0, 0.02, (*layer)->weight.sizes(), gen));
    (*layer)->bias.zero_();
  }
}

StateDict RtdHeadImpl::hf_state() const {
  return {{"discriminator_predictions.dense.weight", dense->weight},
          {"discriminator_predictions.dense.bias", dense->bias},
          {"discriminator_predictions.dense_prediction.weight", dense_prediction->weight},
          {"discriminator_predictions.dense_prediction.bias", dense_prediction->bias}};
}

void RtdHeadImpl::load_state(const StateDict& tensors, const std::string& source) {
  load_named_tensors(hf_state(), tensors, source, "replaced-token-detection head",
                     "discriminator_predictions.* of the encoder's width");
}

}  // namespace hecto::model
