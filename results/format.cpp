#include "results/format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"

namespace hecto::results {

namespace {

ValueType guess_type(const std::string& v) {
  if (v.empty()) return ValueType::Null;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size() || std::isspace(static_cast<unsigned char>(v[0]))) return ValueType::Text;
  return v.find_first_of(".eEn") == std::string::npos ? ValueType::Integer : ValueType::Real;
}

// Types as SQLite reported them, or guessed from the text for results built by hand.
ValueType type_at(const QueryResult& r, size_t row, size_t col) {
  if (row < r.types.size() && col < r.types[row].size()) return r.types[row][col];
  return guess_type(r.rows[row][col]);
}

bool is_number(ValueType t) { return t == ValueType::Integer || t == ValueType::Real; }

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;  // count UTF-8 lead bytes, not continuation bytes
  return n;
}

std::string single_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

std::string pad(const std::string& s, size_t width, bool right) {
  std::string fill(width - std::min(width, display_width(s)), ' ');
  return right ? fill + s : s + fill;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_value(const std::string& v, ValueType t) {
  switch (t) {
    case ValueType::Null:
      return "null";
    case ValueType::Integer:
      return v;
    case ValueType::Real:
      return std::isfinite(std::strtod(v.c_str(), nullptr)) ? v : "null";  // JSON has no inf
    default:
      return json_string(v);
  }
}

}  // namespace

OutputFormat output_format_from_string(const std::string& name) {
  if (name == "table") return OutputFormat::Table;
  if (name == "csv") return OutputFormat::Csv;
  if (name == "json") return OutputFormat::Json;
  throw common::InputError({"--format"}, "unknown output format '" + name + "'", "table, csv or json");
}

std::string format_table(const QueryResult& r) {
  const size_t n = r.columns.size();
  std::vector<size_t> width(n);
  std::vector<bool> numeric(n, false);
  for (size_t c = 0; c < n; ++c) {
    width[c] = display_width(r.columns[c]);
    bool any_number = false, all_numbers = true;
    for (size_t row = 0; row < r.rows.size(); ++row) {
      width[c] = std::max(width[c], display_width(single_line(r.rows[row][c])));
      ValueType t = type_at(r, row, c);
      if (t == ValueType::Null) continue;
      any_number |= is_number(t);
      all_numbers &= is_number(t);
    }
    numeric[c] = any_number && all_numbers;
  }
  auto line = [&](auto cell_text) {
    std::string out;
    for (size_t c = 0; c < n; ++c) {
      if (c) out += "  ";
      out += pad(cell_text(c), width[c], numeric[c]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](size_t c) { return r.columns[c]; });
  out += line([&](size_t c) { return std::string(width[c], '-'); });
  for (const auto& row : r.rows) out += line([&](size_t c) { return single_line(row[c]); });
  out += "(" + std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row)\n" : " rows)\n");
  return out;
}

std::string format_csv(const QueryResult& r) {
  auto line = [](const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
  };
  std::string out = line(r.columns);
  for (const auto& row : r.rows) out += line(row);
  return out;
}

std::string format_json(const QueryResult& r) {
  if (r.rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t row = 0; row < r.rows.size(); ++row) {
    out += "  {";
    for (size_t c = 0; c < r.columns.size(); ++c) {
      if (c) out += ", ";
      out += json_string(r.columns[c]) + ": " + json_value(r.rows[row][c], type_at(r, row, c));
    }
    out += row + 1 < r.rows.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

std::string format_result(const QueryResult& result, OutputFormat format) {
  switch (format) {
    case OutputFormat::Csv:
      return format_csv(result);
    case OutputFormat::Json:
      return format_json(result);
    default:
      return format_table(result);
  }
}

}  // namespace hecto::results
