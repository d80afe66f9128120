#include "cli/app.h"
#include "runtime/runtime.h"

int main(int argc, char** argv) {
  hecto::runtime::prepare_process(argc, argv);
  return hecto::cli::run_cli(argc, argv);
}
