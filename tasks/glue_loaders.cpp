#include "tasks/glue_loaders.h"

#include "common/error.h"
#include "tasks/text_input.h"

namespace hecto::tasks {

using common::InputError;

std::vector<Example> load_sst2_file(const std::string& path) {
  auto in = open_input(path);
  LineReader reader(in, path);
  std::string line;
  if (!reader.next(line) || line != "sentence\tlabel")
    throw InputError({path, 1}, "missing header", "the first line to be 'sentence<TAB>label'");
  std::vector<Example> out;
  while (reader.next(line)) {
    const auto fields = split_tabs(line);
    if (fields.size() != 2)
      throw InputError({path, reader.line_number()},
                       "row has " + std::to_string(fields.size()) + " tab-separated fields", "2: sentence<TAB>label");
    const auto label = parse_int(fields[1]);
    if (!label || (*label != 0 && *label != 1))
      throw InputError({path, reader.line_number()}, "invalid label " + quote_for_message(fields[1]), "0 or 1");
    Example e;
    e.text_a = std::string(trim(fields[0]));
    if (e.text_a.empty()) throw InputError({path, reader.line_number()}, "empty sentence", "a sentence before the tab");
    e.label = static_cast<int>(*label);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

constexpr const char* kGlueStsbHeader =
    "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore";

Example stsb_example(const std::string& path, long line, std::string_view a, std::string_view b,
                     std::string_view score_text) {
  const auto score = parse_double(trim(score_text));
  if (!score)
    throw InputError({path, line}, "score " + quote_for_message(score_text) + " is not a number", "a score 0-5");
  if (*score < 0.0 || *score > 5.0)
    throw InputError({path, line}, "score " + quote_for_message(score_text) + " is out of range", "a score 0-5");
  Example e;
  e.text_a = std::string(trim(a));
  e.text_b = std::string(trim(b));
  if (e.text_a.empty() || e.text_b.empty()) throw InputError({path, line}, "empty sentence", "two non-empty sentences");
  e.score = static_cast<float>(*score);
  return e;
}

}  // namespace

std::vector<Example> load_stsb_file(const std::string& path) {
  auto in = open_input(path);
  LineReader reader(in, path);
  std::vector<Example> out;
  std::string line;
  bool glue = false;
  while (reader.next(line)) {
    if (reader.line_number() == 1 && line.rfind("index\tgenre\t", 0) == 0) {
      if (line != kGlueStsbHeader)
        throw InputError({path, 1}, "unexpected GLUE STS-B header", std::string("'") + kGlueStsbHeader + "'");
      glue = true;
      continue;
    }
    const auto f = split_tabs(line);
    if (glue) {
      if (f.size() != 10)
        throw InputError({path, reader.line_number()}, "row has " + std::to_string(f.size()) + " tab-separated fields",
                         "10 (GLUE STS-B layout)");
      out.push_back(stsb_example(path, reader.line_number(), f[7], f[8], f[9]));
    } else {
      if (f.size() != 7 && f.size() != 9)
        throw InputError({path, reader.line_number()}, "row has " + std::to_string(f.size()) + " tab-separated fields",
                         "7 or 9 (genre filename year id score sentence1 sentence2 [source license])");
      out.push_back(stsb_example(path, reader.line_number(), f[5], f[6], f[4]));
    }
  }
  return out;
}

}  // namespace hecto::tasks
