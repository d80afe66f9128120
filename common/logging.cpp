#include "common/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <vector>

namespace hecto::common {

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

void setup_logging(const LogOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  // A terminal gets short lines; logs captured by CI or Slurm get timestamps.
  console->set_pattern(stderr_is_terminal() ? "%^%l%$: %v" : "[%Y-%m-%d %H:%M:%S] [%l] %v");
  sinks.push_back(console);
  if (!options.file.empty()) {
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file, false);
    file->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] [pid %P] %v");
    sinks.push_back(file);
  }
  auto logger = std::make_shared<spdlog::logger>("hecto", sinks.begin(), sinks.end());
  int level = static_cast<int>(spdlog::level::info) - options.verbosity;
  if (level < spdlog::level::trace) level = spdlog::level::trace;
  if (level > spdlog::level::critical) level = spdlog::level::critical;
  logger->set_level(static_cast<spdlog::level::level_enum>(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace hecto::common
