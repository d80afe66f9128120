#include "model/mlm.h"

#include <ATen/CPUGeneratorImpl.h>

#include <string>
#include <vector>

#include "common/error.h"

namespace hecto::model {

MaskedTokens mask_tokens(const torch::Tensor& ids, const torch::Tensor& never_mask, int64_t vocab_size, int64_t mask_id,
                         torch::Generator& generator, double prob) {
  TORCH_CHECK(ids.sizes() == never_mask.sizes(), "mask_tokens: ids and never_mask differ in shape");
  TORCH_CHECK(prob >= 0.0 && prob <= 1.0, "mask_tokens: prob must lie in [0, 1]");
  const auto as_long = ids.to(torch::kLong);
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  // Uniform draws compared with thresholds rather than bernoulli(): one code path, and the
  // three decisions per position are independent draws from the one generator.
  auto chosen = torch::rand(ids.sizes(), generator, f32) < prob;
  chosen = chosen.logical_and(never_mask.to(torch::kBool).logical_not());

  auto labels = as_long.masked_fill(chosen.logical_not(), kIgnoreLabel);
  auto inputs = as_long.clone();
  const auto to_mask = chosen.logical_and(torch::rand(ids.sizes(), generator, f32) < 0.8);
  inputs.masked_fill_(to_mask, mask_id);
  // Half of the remaining 20% get a random token, the other half are kept (10% / 10% overall).
  const auto to_random =
      chosen.logical_and(to_mask.logical_not()).logical_and(torch::rand(ids.sizes(), generator, f32) < 0.5);
  const auto random_ids =
      torch::randint(vocab_size, ids.sizes(), generator, torch::TensorOptions().dtype(torch::kLong));
  inputs = torch::where(to_random, random_ids, inputs);
  return {inputs, labels};
}

MlmHeadImpl::MlmHeadImpl(int64_t dim, int64_t vocab_size, double layer_norm_eps) {
  vocab_transform = register_module("vocab_transform", torch::nn::Linear(dim, dim));
  vocab_layer_norm =
      register_module("vocab_layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(layer_norm_eps)));
  vocab_projector_bias = register_parameter("vocab_projector_bias", torch::zeros({vocab_size}));
}

torch::Tensor MlmHeadImpl::forward(const torch::Tensor& hidden, const torch::Tensor& word_embeddings) {
  auto h = vocab_layer_norm(torch::gelu(vocab_transform(hidden)));
  return torch::nn::functional::linear(h, word_embeddings, vocab_projector_bias);
}

void MlmHeadImpl::init_weights(uint64_t seed) {
  torch::NoGradGuard no_grad;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  vocab_transform->weight.copy_(at::normal(0.0, 0.02, vocab_transform->weight.sizes(), gen));
  vocab_transform->bias.zero_();
  vocab_layer_norm->weight.fill_(1.0);
  vocab_layer_norm->bias.zero_();
  vocab_projector_bias.zero_();
}

StateDict MlmHeadImpl::hf_state() const {
  return {{"vocab_transform.weight", vocab_transform->weight},
          {"vocab_transform.bias", vocab_transform->bias},
          {"vocab_layer_norm.weight", vocab_layer_norm->weight},
          {"vocab_layer_norm.bias", vocab_layer_norm->bias},
          {"vocab_projector.bias", vocab_projector_bias}};
}

void MlmHeadImpl::load_state(const StateDict& tensors, const std::string& source) {
  load_named_tensors(hf_state(), tensors, source, "MLM head",
                     "vocab_transform.*, vocab_layer_norm.*, vocab_projector.bias of the encoder's shapes");
}

torch::Tensor word_embedding_parameter(const Encoder& encoder) {
  const std::string suffix = "word_embeddings.weight";
  for (const auto& item : encoder->named_parameters(/*recurse=*/true)) {
    const auto& key = item.key();
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
      return item.value();
  }
  // Names may differ inside the module; the Hugging Face view shares storage with the parameter.
  const auto state = encoder->hf_state();
  auto it = state.find("embeddings.word_embeddings.weight");
  if (it != state.end()) {
    for (const auto& p : encoder->parameters())
      if (p.data_ptr() == it->second.data_ptr() && p.sizes() == it->second.sizes()) return p;
  }
  throw common::RunError("the encoder exposes no word-embedding parameter to tie the MLM decoder to");
}

}  // namespace hecto::model
