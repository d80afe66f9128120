#include "tasks/agnews_loader.h"

#include <algorithm>

#include "common/error.h"
#include "tasks/text_input.h"

namespace hecto::tasks {

using common::InputError;

const std::vector<std::string>& agnews_class_names() {
  static const std::vector<std::string> names{"World", "Sports", "Business", "Sci/Tech"};
  return names;
}

std::string agnews_clean_text(std::string_view text) {
  std::string out(trim(text));
  std::replace(out.begin(), out.end(), '\\', ' ');
  return std::string(trim(out));
}

namespace {

std::string join_title_description(std::string_view title, std::string_view description) {
  std::string t = agnews_clean_text(title), d = agnews_clean_text(description);
  if (t.empty()) return d;
  if (d.empty()) return t;
  return t + " " + d;
}

std::vector<Example> load_alps_tsv(const std::string& path) {
  auto in = open_input(path);
  LineReader reader(in, path);
  std::vector<Example> out;
  std::string line;
  const auto& names = agnews_class_names();
  while (reader.next(line)) {
    const auto fields = split_tabs(line);
    if (fields.size() != 2)
      throw InputError({path, reader.line_number()},
                       "row has " + std::to_string(fields.size()) + " tab-separated fields",
                       "2: description<TAB>ClassName");
    const auto name = trim(fields[1]);
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw InputError({path, reader.line_number()}, "unknown class " + quote_for_message(name),
                       "one of World, Sports, Business, Sci/Tech");
    Example e;
    e.text_a = agnews_clean_text(fields[0]);
    e.label = static_cast<int>(it - names.begin());
    out.push_back(std::move(e));
  }
  return out;
}

int parse_label(const std::string& path, long line, std::string_view value, int lowest) {
  const auto v = parse_int(trim(value));
  if (!v || *v < lowest || *v > lowest + 3)
    throw InputError({path, line}, "invalid class " + quote_for_message(value),
                     lowest == 1 ? "a class index 1-4" : "a label 0-3");
  return static_cast<int>(*v - lowest);
}

std::vector<Example> load_csv(const std::string& path) {
  auto in = open_input(path);
  CsvReader reader(in, path);
  std::vector<Example> out;
  CsvRecord record;
  size_t layout = 0;  // 3 = original (class,title,description), 2 = Hugging Face (text,label)
  while (reader.next(record)) {
    if (layout == 0) {
      layout = record.fields.size();
      if (layout != 2 && layout != 3)
        throw InputError({path, record.line}, "first row has " + std::to_string(layout) + " fields",
                         "3 (class,title,description) or 2 (text,label)");
      if (layout == 2 && record.fields[0] == "text" && record.fields[1] == "label") continue;  // header
    }
    if (record.fields.size() != layout)
      throw InputError({path, record.line}, "row has " + std::to_string(record.fields.size()) + " fields",
                       std::to_string(layout) + " like the first row");
    Example e;
    if (layout == 3) {
      e.label = parse_label(path, record.line, record.fields[0], 1);
      e.text_a = join_title_description(record.fields[1], record.fields[2]);
    } else {
      e.label = parse_label(path, record.line, record.fields[1], 0);
      e.text_a = agnews_clean_text(record.fields[0]);
    }
    if (e.text_a.empty()) throw InputError({path, record.line}, "empty text", "a news title or description");
    out.push_back(std::move(e));
  }
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<Example> load_agnews_file(const std::string& path) {
  return ends_with(path, ".tsv") ? load_alps_tsv(path) : load_csv(path);
}

}  // namespace hecto::tasks
