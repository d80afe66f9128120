#include <gtest/gtest.h>

#include "runtime/runtime.h"

int main(int argc, char** argv) {
  hecto::runtime::prepare_process(argc, argv);
  hecto::runtime::set_torch_threads(hecto::runtime::resolve_threads(0));
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
