#include "results/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace hecto::results {

double unix_seconds_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

namespace {

// "YYYY-MM-DDTHH:MM:SS" of a UTC time, then `suffix`.
std::string utc_text(std::time_t t, const char* suffix) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, "%s", suffix);
  return buf;
}

}  // namespace

std::string utc_iso8601_now() { return utc_text(std::time(nullptr), "Z"); }

std::string utc_iso8601_micros_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, ".%06lldZ", static_cast<long long>(micros));
  return utc_text(system_clock::to_time_t(now), suffix);
}

}  // namespace hecto::results
