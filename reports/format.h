#pragma once
// Number formatting shared by every table: fixed decimals, no "-0.00", the paper's dash.
#include <optional>
#include <string>

#include "reports/labels.h"
#include "reports/stats.h"

namespace hecto::reports {

inline constexpr const char* kDash = "–";  // a figure that does not exist (en dash)

std::string fixed(double value, int decimals);
std::string signed_fixed(double value, int decimals);  // "+0.10", "-2.92"
// "87.10 ± 0.52 (n=3)"; "87.10 (n=1)" without a spread. `stats` is in stored units.
std::string stat_text(const SeedStats& stats, const MetricSpec& spec);
std::string verdict_marker(Verdict v);  // ▲ ▼ ≈ or ""
std::string verdict_word(Verdict v);    // higher / lower / within / untestable
// For CSV: the shown value with two more decimals; "" for none.
std::string csv_number(std::optional<double> value, int decimals);
std::string slug(const std::string& text);  // lower-case [a-z0-9_] for file names

}  // namespace hecto::reports
