#include <gtest/gtest.h>

#include "common/error.h"

using hecto::common::InputError;

TEST(InputError, MessageNamesFileLineColumnAndExpectation) {
  InputError e({"exp.toml", 12, 5}, "unknown key 'lr_rate'", "one of lr, epochs");
  EXPECT_STREQ(e.what(), "exp.toml:12:5: unknown key 'lr_rate' (expected one of lr, epochs)");
  EXPECT_EQ(e.where().line, 12);
}

TEST(InputError, OmitsUnknownPositions) {
  EXPECT_STREQ(InputError({"data.csv", 3}, "bad quote").what(), "data.csv:3: bad quote");
  EXPECT_STREQ(InputError({}, "no file").what(), "<input>: no file");
}
