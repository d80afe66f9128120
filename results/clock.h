#pragma once
// Wall-clock time as the database stores it: leases in unix seconds (sub-second, so a
// zero-second lease expires at once), timestamps as ISO 8601 UTC text.
#include <string>

namespace hecto::results {

double unix_seconds_now();
std::string utc_iso8601_now();
// The same with microseconds (fixed width, so such stamps still order as text): for events a
// second cannot tell apart, such as two registrations of an experiment's plan.
std::string utc_iso8601_micros_now();

}  // namespace hecto::results
