#include "tasks/data_source.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "tasks/known_files.h"

namespace hecto::tasks {

namespace fs = std::filesystem;

namespace {

// The kind SOURCE.json records for `relative` with this sha256, or "". A missing or unreadable
// SOURCE.json records nothing: provenance never stops a run.
std::string recorded_kind(const fs::path& data_dir, const std::string& relative, const std::string& sha256) {
  std::ifstream in(data_dir / "SOURCE.json", std::ios::binary);
  if (!in) return "";
  const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_object()) return "";
  const auto& files = j["files"];
  const auto it = files.find(relative);
  if (it == files.end() || !it->is_object()) return "";
  if (it->value("sha256", std::string()) != sha256) return "";  // changed since `make data` vouched for it
  const std::string kind = it->value("kind", std::string());
  return kind == "official" || kind == "staged" ? kind : "";
}

}  // namespace

std::string data_source_kind(const std::string& data_dir, const std::string& file, const std::string& sha256) {
  std::error_code ec;
  const fs::path dir = fs::weakly_canonical(fs::absolute(data_dir), ec);
  const std::string relative = fs::weakly_canonical(fs::absolute(file), ec).lexically_relative(dir).generic_string();
  if (relative.empty() || relative.rfind("..", 0) == 0) return "";
  if (auto kind = recorded_kind(dir, relative, sha256); !kind.empty()) return kind;
  const auto& staged = known_file_sha256();
  const auto it = staged.find(relative);
  return it != staged.end() && it->second == sha256 ? "staged" : "";
}

}  // namespace hecto::tasks
