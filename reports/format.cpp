#include "reports/format.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace hecto::reports {

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string s = buf;
  // A value that rounds to zero prints unsigned.
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string signed_fixed(double value, int decimals) {
  std::string s = fixed(value, decimals);
  if (s[0] != '-' && s.find_first_not_of("0.") != std::string::npos) s.insert(0, "+");
  return s;
}

std::string stat_text(const SeedStats& stats, const MetricSpec& spec) {
  std::string s = fixed(stats.mean * spec.scale, spec.decimals);
  if (stats.std) s += " ± " + fixed(*stats.std * spec.scale, spec.decimals);
  return s + " (n=" + std::to_string(stats.n) + ")";
}

std::string verdict_marker(Verdict v) {
  switch (v) {
    case Verdict::Higher:
      return "▲";
    case Verdict::Lower:
      return "▼";
    case Verdict::Within:
      return "≈";
    case Verdict::Untestable:
      return "";
  }
  return "";
}

std::string verdict_word(Verdict v) {
  switch (v) {
    case Verdict::Higher:
      return "higher";
    case Verdict::Lower:
      return "lower";
    case Verdict::Within:
      return "within";
    case Verdict::Untestable:
      return "untestable";
  }
  return "";
}

std::string csv_number(std::optional<double> value, int decimals) { return value ? fixed(*value, decimals + 2) : ""; }

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c))
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "x" : out;
}

}  // namespace hecto::reports
