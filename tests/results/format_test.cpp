#include <gtest/gtest.h>

#include "common/error.h"
#include "results/format.h"

namespace hecto::results {
namespace {

QueryResult sample() {
  QueryResult r;
  r.columns = {"id", "accuracy", "note"};
  r.rows = {{"abc", "0.9", "plain"}, {"d", "0.85", ""}, {"é", "12", "a,\"b\"\nc"}};
  r.types = {{ValueType::Text, ValueType::Real, ValueType::Text},
             {ValueType::Text, ValueType::Real, ValueType::Null},
             {ValueType::Text, ValueType::Integer, ValueType::Text}};
  return r;
}

TEST(ResultsFormat, TableAlignsColumnsAndRightAlignsNumbers) {
  EXPECT_EQ(format_table(sample()),
            "id   accuracy  note\n"
            "---  --------  -------\n"
            "abc       0.9  plain\n"
            "d        0.85\n"
            "é          12  a,\"b\" c\n"
            "(3 rows)\n");
}

TEST(ResultsFormat, TableOfNothing) {
  QueryResult r;
  r.columns = {"n"};
  EXPECT_EQ(format_table(r), "n\n-\n(0 rows)\n");
}

TEST(ResultsFormat, CsvFollowsRfc4180) {
  EXPECT_EQ(format_csv(sample()),
            "id,accuracy,note\r\n"
            "abc,0.9,plain\r\n"
            "d,0.85,\r\n"
            "é,12,\"a,\"\"b\"\"\nc\"\r\n");
}

TEST(ResultsFormat, JsonIsAnArrayOfTypedObjects) {
  EXPECT_EQ(format_json(sample()),
            "[\n"
            "  {\"id\": \"abc\", \"accuracy\": 0.9, \"note\": \"plain\"},\n"
            "  {\"id\": \"d\", \"accuracy\": 0.85, \"note\": null},\n"
            "  {\"id\": \"é\", \"accuracy\": 12, \"note\": \"a,\\\"b\\\"\\nc\"}\n"
            "]\n");
  QueryResult empty;
  empty.columns = {"x"};
  EXPECT_EQ(format_json(empty), "[]\n");
}

TEST(ResultsFormat, UntypedResultsAreGuessed) {
  QueryResult r;
  r.columns = {"a", "b"};
  r.rows = {{"1.5", "x"}, {"", "y"}};
  EXPECT_EQ(format_json(r), "[\n  {\"a\": 1.5, \"b\": \"x\"},\n  {\"a\": null, \"b\": \"y\"}\n]\n");
}

TEST(ResultsFormat, FormatNames) {
  EXPECT_EQ(output_format_from_string("csv"), OutputFormat::Csv);
  EXPECT_EQ(output_format_from_string("json"), OutputFormat::Json);
  EXPECT_EQ(output_format_from_string("table"), OutputFormat::Table);
  EXPECT_THROW(output_format_from_string("xml"), common::InputError);
}

}  // namespace
}  // namespace hecto::results
