#pragma once
// Reading dataset files line by line or record by record, always knowing the line we are on, so
// every complaint about a row can name its file and line.
#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hecto::tasks {

// Opens a file for reading; InputError naming the path when it cannot be opened.
std::ifstream open_input(const std::string& path);

// Physical lines without their "\n" (and without a trailing "\r", so CRLF files read the same).
class LineReader {
 public:
  LineReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}
  bool next(std::string& line);
  long line_number() const { return line_; }  // 1-based line of the last line returned
  const std::string& file() const { return file_; }

 private:
  std::istream& in_;
  std::string file_;
  long line_ = 0;
};

// Splits on every tab: no quoting, as the STS-B, SST-2 and ALPS files need.
std::vector<std::string_view> split_tabs(std::string_view line);

// RFC 4180 records: fields optionally double-quoted, "" inside quotes is a quote, quoted fields
// may span lines. Throws InputError for a quote in an unquoted field, text after a closing quote
// or a quoted field still open at the end of the file.
struct CsvRecord {
  std::vector<std::string> fields;
  long line = 0;  // line where the record starts (1-based)
};

class CsvReader {
 public:
  CsvReader(std::istream& in, std::string file, char delimiter = ',')
      : in_(in), file_(std::move(file)), delimiter_(delimiter) {}
  bool next(CsvRecord& record);
  const std::string& file() const { return file_; }

 private:
  int get();
  int peek();
  std::istream& in_;
  std::string file_;
  char delimiter_;
  long line_ = 1;    // line of the next character
  long column_ = 1;  // column of the next character
};

// ASCII whitespace trimmed from both ends.
std::string_view trim(std::string_view s);
// Whole-string numbers; std::nullopt on anything else (sign, spaces, trailing text).
std::optional<long> parse_int(std::string_view s);
std::optional<double> parse_double(std::string_view s);
// Shortens a value for an error message.
std::string quote_for_message(std::string_view s);

}  // namespace hecto::tasks
