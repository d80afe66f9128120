#pragma once
// Renders a query result for people (aligned table) and programs (CSV, JSON).
#include <string>

#include "results/store.h"

namespace hecto::results {

enum class OutputFormat { Table, Csv, Json };
// "table" | "csv" | "json"; anything else is an InputError.
OutputFormat output_format_from_string(const std::string& name);

// Columns padded to their widest value (counted in UTF-8 characters), numbers right-aligned,
// a dashed rule under the header, then "(N rows)". Line breaks inside values print as spaces.
std::string format_table(const QueryResult& result);
// RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.
std::string format_csv(const QueryResult& result);
// An array of objects, keys in column order; numbers as JSON numbers, NULL as null.
std::string format_json(const QueryResult& result);

std::string format_result(const QueryResult& result, OutputFormat format);

}  // namespace hecto::results
