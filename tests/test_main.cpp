#include <gtest/gtest.h>

#include "common/runtime.h"

int main(int argc, char** argv) {
  hecto::common::prepare_process(argc, argv);
  hecto::common::set_torch_threads(hecto::common::resolve_threads(0));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
