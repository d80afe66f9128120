// `hecto tokenize`: show how BERT WordPiece splits texts, for eyeballing and for scripts (--json).
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/error.h"
#include "tasks/task.h"
#include "text/tokenizer.h"

namespace hecto::cli {

namespace {

namespace fs = std::filesystem;

struct TokenizeOptions {
  std::string vocab;
  int max_len = 512;
  std::string pair;
  bool json = false;
  std::vector<std::string> texts;
};

// The data directory's vocabulary, found as every command finds its data (tasks::resolve_data_dir).
std::string default_vocab() { return tasks::default_vocab_path(tasks::resolve_data_dir("")); }

// "-" stands for stdin, one text per line.
std::vector<std::string> expand_texts(const std::vector<std::string>& args) {
  std::vector<std::string> texts;
  for (const auto& a : args) {
    if (a != "-") {
      texts.push_back(a);
      continue;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      texts.push_back(line);
    }
  }
  return texts;
}

int run_tokenize(const TokenizeOptions& o) {
  const auto tokenizer = text::Tokenizer::from_file(o.vocab.empty() ? default_vocab() : o.vocab);
  const bool has_pair = !o.pair.empty();
  for (const auto& text : expand_texts(o.texts)) {
    const auto enc = has_pair ? tokenizer.encode_pair(text, o.pair, o.max_len) : tokenizer.encode(text, o.max_len);
    std::vector<std::string> tokens;
    for (int32_t id : enc.ids) tokens.push_back(tokenizer.id_to_token(id));
    if (o.json) {
      nlohmann::ordered_json j{{"text", text}, {"tokens", tokens}, {"ids", enc.ids}};
      if (has_pair) {
        j["pair"] = o.pair;
        j["type_ids"] = enc.type_ids;
      }
      // Invalid UTF-8 in the input must not abort the output: such bytes print as U+FFFD.
      std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
      continue;
    }
    std::cout << "text:   " << text << '\n';
    if (has_pair) std::cout << "pair:   " << o.pair << '\n';
    std::cout << "tokens:";
    for (const auto& t : tokens) std::cout << ' ' << t;
    std::cout << "\nids:   ";
    for (int32_t id : enc.ids) std::cout << ' ' << id;
    if (has_pair) {
      std::cout << "\ntypes: ";
      for (int8_t t : enc.type_ids) std::cout << ' ' << static_cast<int>(t);
    }
    std::cout << "\n\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void add_tokenize_command(CommandContext ctx) {
  auto opts = std::make_shared<TokenizeOptions>();
  auto* sub = ctx.app.add_subcommand("tokenize", "Tokenize text with BERT WordPiece");
  sub->add_option("--vocab", opts->vocab,
                  "vocab.txt (default: $HECTO_DATA_DIR/tokenizer/bert-base-uncased/vocab.txt, then data/..., "
                  "then ../shared/data/...)");
  sub->add_option("--max-len", opts->max_len, "Most ids per text, [CLS]/[SEP] included (0: no limit)")
      ->default_val(512)
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--pair", opts->pair, "Second segment: encode each TEXT as [CLS] TEXT [SEP] PAIR [SEP]");
  sub->add_flag("--json", opts->json, "One JSON object per text and line: {\"text\", \"tokens\", \"ids\"}");
  sub->add_option("texts", opts->texts, "Texts to tokenize; '-' reads one text per line from stdin")->required();
  sub->callback([&action = ctx.action, opts] { action = [opts] { return run_tokenize(*opts); }; });
}

}  // namespace hecto::cli
