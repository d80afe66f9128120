#include "tasks/text_input.h"

#include <charconv>
#include <cmath>

#include "common/error.h"

namespace hecto::tasks {

using common::InputError;

std::ifstream open_input(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot open the file", "a readable dataset file");
  return in;
}

bool LineReader::next(std::string& line) {
  if (!std::getline(in_, line)) return false;
  ++line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

int CsvReader::get() {
  int c = in_.rdbuf()->sbumpc();
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if (c != std::char_traits<char>::eof()) {
    ++column_;
  }
  return c;
}

int CsvReader::peek() { return in_.rdbuf()->sgetc(); }

bool CsvReader::next(CsvRecord& record) {
  constexpr int kEof = std::char_traits<char>::eof();
  record.fields.clear();
  record.line = line_;
  if (peek() == kEof) return false;
  std::string field;
  while (true) {
    int c = peek();
    if (c == '"' && field.empty()) {
      const long open_line = line_, open_column = column_;
      get();
      while (true) {
        c = get();
        if (c == kEof)
          throw InputError({file_, open_line, open_column}, "quoted field is never closed",
                           "a closing '\"' before the end of the file");
        if (c == '"') {
          if (peek() == '"') {
            get();
            field.push_back('"');
            continue;
          }
          break;
        }
        field.push_back(static_cast<char>(c));
      }
      c = peek();
      if (c != delimiter_ && c != '\n' && c != '\r' && c != kEof)
        throw InputError({file_, line_, column_},
                         std::string("unexpected character '") + static_cast<char>(c) + "' after a closing quote",
                         std::string("'") + delimiter_ + "' or the end of the line");
      continue;
    }
    get();
    if (c == delimiter_) {
      record.fields.push_back(std::move(field));
      field.clear();
      continue;
    }
    if (c == '\r' && peek() == '\n') continue;  // CRLF: the '\n' ends the record next round
    if (c == '\n' || c == kEof) {
      record.fields.push_back(std::move(field));
      return true;
    }
    if (c == '"')
      throw InputError({file_, line_, column_ - 1}, "'\"' inside an unquoted field",
                       "quotes only around a whole field, doubled inside it");
    field.push_back(static_cast<char>(c));
  }
}

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::optional<long> parse_int(std::string_view s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string quote_for_message(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "'";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  return out + "'";
}

}  // namespace hecto::tasks
