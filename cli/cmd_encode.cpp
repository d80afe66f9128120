// `hecto encode`: one text through a Hugging Face-layout encoder directory; prints the [CLS]
// output vector, for eyeballing a checkpoint and for scripts (--json). The work is model::encode_text().
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/error.h"
#include "model/encoder.h"
#include "runtime/device.h"
#include "text/tokenizer.h"

namespace hecto::cli {

namespace {

struct EncodeOptions {
  std::string model;
  int max_len = 0;
  bool json = false;
  bool bf16 = false;
  std::string device = runtime::default_device_spec();
  std::string text;
};

int run_encode(const EncodeOptions& o) {
  const auto vocab = std::filesystem::path(o.model) / "vocab.txt";
  if (!std::filesystem::is_regular_file(vocab))
    throw common::InputError({vocab.string(), 0, 0}, "no vocab.txt beside the model", "DIR/vocab.txt");
  auto pretrained = model::load_pretrained(o.model);
  pretrained.encoder->to(runtime::resolve_device(o.device).device);
  if (o.bf16) pretrained.encoder->to(torch::kBFloat16);
  const auto tokenizer = text::Tokenizer::from_file(vocab.string());
  const auto out = model::encode_text(pretrained.encoder, tokenizer, o.text, o.max_len);
  const auto cls = out.cls.contiguous();
  const std::vector<float> values(cls.data_ptr<float>(), cls.data_ptr<float>() + cls.numel());
  if (o.json) {
    nlohmann::json j{{"ids", out.ids},
                     {"cls", values},
                     {"shape", out.cls.sizes().vec()},
                     {"hidden_shape", out.hidden.sizes().vec()}};
    std::cout << j.dump() << '\n';
    return 0;
  }
  std::cout << "model:  " << o.model << " (" << pretrained.encoder->config().describe() << (o.bf16 ? ", bf16" : "")
            << ")\n";
  std::cout << "ids:   ";
  for (int32_t id : out.ids) std::cout << ' ' << id;
  std::cout << "\nshape:  [" << values.size() << "] ([CLS] row of hidden states [1, " << out.ids.size() << ", "
            << values.size() << "])\ncls:   ";
  for (float v : values) std::cout << ' ' << v;
  std::cout << '\n';
  return 0;
}

}  // namespace

void add_encode_command(CommandContext ctx) {
  auto opts = std::make_shared<EncodeOptions>();
  auto* sub = ctx.app.add_subcommand("encode", "Print an encoder's [CLS] vector");
  sub->add_option("--model", opts->model, "Model directory: config.json, model.safetensors, vocab.txt")
      ->required()
      ->check(CLI::ExistingDirectory);
  sub->add_option("--max-len", opts->max_len, "Most ids, [CLS]/[SEP] included (0: the model's max positions)")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", opts->json, "Print {\"ids\", \"cls\", \"shape\", \"hidden_shape\"} as one JSON line");
  sub->add_flag("--bf16", opts->bf16, "Compute in bf16 (oneDNN; about 2x faster on AVX512-BF16 CPUs), print fp32");
  sub->add_option("--device", opts->device, "auto, cpu, cuda or cuda:N (default: HECTO_DEVICE or auto)")
      ->capture_default_str();
  sub->add_option("text", opts->text, "The text to encode")->required();
  sub->callback([&action = ctx.action, opts] { action = [opts] { return run_encode(*opts); }; });
}

}  // namespace hecto::cli
