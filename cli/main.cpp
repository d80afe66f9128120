#include "cli/app.h"
#include "common/runtime.h"

int main(int argc, char** argv) {
  hecto::common::prepare_process(argc, argv);
  return hecto::cli::run_cli(argc, argv);
}
