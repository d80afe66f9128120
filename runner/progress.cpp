#include "runner/progress.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <set>

namespace hecto::runner {

using experiment::Cell;
using train::Progress;

std::string describe_cell(const Cell& cell) {
  const auto& a = cell.axes;
  auto get = [&](const char* k) {
    auto it = a.find(k);
    return it == a.end() ? std::string() : it->second;
  };
  std::string s =
      get("task") + " " + get("variant") + " seed=" + get("seed") + " bs=" + get("batch_size") + " " + get("encoder");
  static const std::set<std::string> standard{"task", "variant", "seed", "batch_size", "encoder"};
  for (const auto& [k, v] : a)
    if (!standard.count(k)) s += " " + k + "=" + v;
  return s;
}

std::string summarize_result(const results::CellResult& r) {
  std::string s;
  auto it = r.metrics.find("eval");
  if (it != r.metrics.end()) {
    for (const auto& [k, v] : it->second) {
      if (k.rfind("share_expert_", 0) == 0 || k == "gate_entropy_bits") continue;
      s += fmt::format("{}{}={:.4f}", s.empty() ? "" : " ", k, v);
    }
  }
  std::map<std::string, int64_t> by_kind;
  int64_t n = 0;
  for (const auto& rc : r.routing) {
    by_kind[rc.expert_kind] += rc.count;
    n += rc.count;
  }
  if (n > 0) {
    s += " |";
    for (const auto& [kind, count] : by_kind) s += fmt::format(" {} {:.1f}%", kind, 100.0 * count / n);
  }
  s += fmt::format(" | {:.1f}s", r.timing.train_seconds + r.timing.eval_seconds + r.timing.encode_seconds);
  return s;
}

static std::string format_duration(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60) : fmt::format("{}m{:02}s", s / 60, s % 60);
}

void ProgressPrinter::start_cell(const std::string& label, int index, int total) {
  label_ = label;
  index_ = index;
  total_ = total;
  last_logged_epoch_ = -1;
  if (!terminal_) spdlog::info("[{}/{}] {}: starting", index, total, label);
}

void ProgressPrinter::update(const Progress& p) {
  if (terminal_) {
    std::string line;
    if (p.phase == "encode")
      line = fmt::format("[{}/{}] {}: encoding (frozen features)", index_, total_, label_);
    else if (p.phase == "eval")
      line = fmt::format("[{}/{}] {}: epoch {}/{} evaluating", index_, total_, label_, p.epoch, p.epochs);
    else
      line = fmt::format("[{}/{}] {}: epoch {}/{} step {}/{} loss {:.4f} ETA {}", index_, total_, label_, p.epoch,
                         p.epochs, p.step, p.steps, p.loss, format_duration(p.eta_seconds));
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    line_open_ = true;
  } else if (p.phase == "train" && p.step == p.steps && p.epoch != last_logged_epoch_) {
    last_logged_epoch_ = p.epoch;
    spdlog::info("[{}/{}] {}: epoch {}/{} loss {:.4f} ETA {}", index_, total_, label_, p.epoch, p.epochs, p.loss,
                 format_duration(p.eta_seconds));
  }
}

void ProgressPrinter::clear() {
  if (line_open_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    line_open_ = false;
  }
}

void ProgressPrinter::finish_cell(const std::string& label, const results::CellResult& result) {
  clear();
  spdlog::info("[{}/{}] {}: {}", index_, total_, label, summarize_result(result));
}

}  // namespace hecto::runner
