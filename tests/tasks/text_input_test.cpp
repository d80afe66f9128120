// The CSV and TSV readers under the loaders: quoting, lines spanning records, and line numbers.
#include "tasks/text_input.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"

using hecto::common::InputError;
using hecto::tasks::CsvReader;
using hecto::tasks::CsvRecord;
using Fields = std::vector<std::string>;

namespace {

std::vector<CsvRecord> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in, "x.csv");
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

}  // namespace

TEST(CsvReader, ReadsQuotedFieldsWithDoubledQuotesAndEmbeddedNewlines) {
  const auto rows = read_all("\"1\",\"say \"\"hi\"\"\",plain\n\"2\",\"two\nlines\",\"a,b\"\r\n3,,\"\"\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"1", "say \"hi\"", "plain"}));
  EXPECT_EQ(rows[1].fields, (Fields{"2", "two\nlines", "a,b"}));
  EXPECT_EQ(rows[2].fields, (Fields{"3", "", ""}));
  // Line numbers count physical lines, so the record after a two-line field starts on line 4.
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].line, 4);
}

TEST(CsvReader, LastRecordWithoutNewlineIsRead) {
  const auto rows = read_all("a,b\nc,d");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
}

TEST(CsvReader, RejectsTextAfterClosingQuoteWithItsPosition) {
  try {
    read_all("ok,row\n\"a\"x,b\n");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "x.csv");
    EXPECT_EQ(e.where().line, 2);
    EXPECT_EQ(e.where().column, 4);
    EXPECT_NE(std::string(e.what()).find("after a closing quote"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, RejectsQuoteInsideUnquotedField) {
  try {
    read_all("a,b\"c\n");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 1);
    EXPECT_NE(std::string(e.what()).find("inside an unquoted field"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, UnclosedQuoteNamesTheLineWhereItOpened) {
  try {
    read_all("a,b\nc,\"open\nstill open\nand more");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 2);
    EXPECT_NE(std::string(e.what()).find("never closed"), std::string::npos) << e.what();
  }
}

TEST(TextInput, SplitTabsKeepsEmptyFields) {
  const auto f = hecto::tasks::split_tabs("a\t\tb\t");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[1], "");
  EXPECT_EQ(f[2], "b");
}

TEST(TextInput, NumbersMustBeWhole) {
  EXPECT_EQ(hecto::tasks::parse_int("12"), 12);
  EXPECT_FALSE(hecto::tasks::parse_int("12a").has_value());
  EXPECT_FALSE(hecto::tasks::parse_int("").has_value());
  EXPECT_DOUBLE_EQ(*hecto::tasks::parse_double("3.800"), 3.8);
  EXPECT_FALSE(hecto::tasks::parse_double("3.8x").has_value());
  EXPECT_FALSE(hecto::tasks::parse_double("nan").has_value());
}
