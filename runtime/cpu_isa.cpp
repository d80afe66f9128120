#include "runtime/cpu_isa.h"

#include <ATen/Version.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <vector>

namespace hecto::runtime {

std::string cpuinfo_field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos || line.find_first_not_of(" \t", key.size()) != colon) continue;
    const auto start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

namespace {

std::string vector_extensions(const std::string& flags_line) {
  std::istringstream words(flags_line);
  const std::set<std::string> flags{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  std::string out;
  for (const char* flag : {"avx2", "avx512f", "avx512_bf16", "amx_bf16"})
    if (flags.count(flag)) out += (out.empty() ? "" : " ") + std::string(flag);
  return out;
}

std::string aten_capability(const std::string& torch_config) {
  const std::string key = "CPU capability usage:";
  const auto at = torch_config.find(key);
  if (at == std::string::npos) return "";
  const auto start = torch_config.find_first_not_of(" \t", at + key.size());
  if (start == std::string::npos) return "";
  return torch_config.substr(start, torch_config.find('\n', start) - start);
}

}  // namespace

std::string cpu_isa_from(const std::string& cpuinfo, const std::string& torch_config) {
  std::vector<std::string> parts;
  const std::string family = cpuinfo_field(cpuinfo, "cpu family"), model = cpuinfo_field(cpuinfo, "model");
  if (!family.empty() && !model.empty()) parts.push_back("family " + family + " model " + model);
  if (auto ext = vector_extensions(cpuinfo_field(cpuinfo, "flags")); !ext.empty()) parts.push_back(ext);
  if (auto aten = aten_capability(torch_config); !aten.empty()) parts.push_back("ATen " + aten);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string read_cpuinfo() {
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string cpu_isa() {
  static const std::string isa = cpu_isa_from(read_cpuinfo(), at::show_config());
  return isa;
}

}  // namespace hecto::runtime
