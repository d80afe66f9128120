#include "tasks/data_check.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "common/error.h"
#include "tasks/known_files.h"
#include "tasks/task.h"

namespace hecto::tasks {

namespace fs = std::filesystem;

bool DataCheckReport::loaded_all() const {
  return std::all_of(tasks.begin(), tasks.end(), [](const TaskCheck& t) { return t.error.empty(); });
}

namespace {

SplitCheck describe(const Split& split, const TaskInfo& info, const std::string& data_dir) {
  SplitCheck s;
  s.name = split.name;
  s.rows = split.examples.size();
  for (size_t i = 0; i < split.source_files.size(); ++i) {
    FileCheck f;
    f.path = fs::path(split.source_files[i]).lexically_relative(data_dir).string();
    f.sha256 = split.source_sha256[i];
    const auto& known = known_file_sha256();
    if (auto it = known.find(f.path); it != known.end()) f.expected = it->second;
    s.files.push_back(std::move(f));
  }
  std::set<std::string> groups;
  for (const auto& e : split.examples)
    if (!e.group_id.empty()) groups.insert(e.group_id);
  s.groups = groups.size();
  if (info.n_classes == 0) {
    s.regression = true;
    if (!split.examples.empty()) {
      double sum = 0;
      s.score_min = s.score_max = split.examples.front().score;
      for (const auto& e : split.examples) {
        sum += e.score;
        s.score_min = std::min<double>(s.score_min, e.score);
        s.score_max = std::max<double>(s.score_max, e.score);
      }
      s.score_mean = sum / split.examples.size();
    }
  } else {
    std::vector<size_t> counts(info.n_classes, 0);
    for (const auto& e : split.examples) ++counts.at(e.label);
    for (int c = 0; c < info.n_classes; ++c) s.label_counts.emplace_back(info.label_names[c], counts[c]);
  }
  return s;
}

std::set<std::string> group_ids(const Split& split) {
  std::set<std::string> ids;
  for (const auto& e : split.examples) ids.insert(e.group_id);
  return ids;
}

}  // namespace

DataCheckReport check_data(const std::string& data_dir) {
  DataCheckReport report;
  report.data_dir = resolve_data_dir(data_dir);
  for (const auto& name : task_names()) {
    auto framings = task_framings(name);
    if (framings.empty()) framings.push_back("");
    for (const auto& framing : framings) {
      TaskCheck check;
      check.task = name;
      check.framing = framing;
      try {
        TaskOptions options;
        options.data_dir = report.data_dir;
        options.framing = framing;
        const auto task = make_task(name, options);
        const TaskInfo info = task->info();
        const Split train = task->load_train();
        const Split eval = task->load_eval();
        check.splits.push_back(describe(train, info, report.data_dir));
        check.splits.push_back(describe(eval, info, report.data_dir));
        if (name == "hotpotqa") {
          const auto a = group_ids(train), b = group_ids(eval);
          std::vector<std::string> shared;
          std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
          if (!shared.empty())
            report.warnings.push_back("hotpotqa/" + framing + ": " + std::to_string(shared.size()) +
                                      " question ids are in both train and eval (first: " + shared.front() + ")");
        }
      } catch (const common::InputError& e) {
        check.error = e.what();
      }
      for (const auto& s : check.splits)
        for (const auto& f : s.files)
          if (!f.matches()) {
            std::string w = f.path + ": sha256 " + f.sha256 + " differs from PROVENANCE.md (" + f.expected + ")";
            if (std::find(report.warnings.begin(), report.warnings.end(), w) == report.warnings.end())
              report.warnings.push_back(std::move(w));
          }
      report.tasks.push_back(std::move(check));
    }
  }
  return report;
}

std::string format_data_check(const DataCheckReport& report) {
  std::ostringstream out;
  out << "data directory: " << report.data_dir << "\n";
  for (const auto& t : report.tasks) {
    out << "\n" << t.task;
    if (!t.framing.empty()) out << " (framing " << t.framing << ")";
    out << "\n";
    if (!t.error.empty()) {
      out << "  ERROR " << t.error << "\n";
      continue;
    }
    for (const auto& s : t.splits) {
      out << "  " << s.name << ": " << s.rows << " rows";
      if (s.groups > 0) out << " from " << s.groups << " questions";
      out << "\n";
      for (const auto& f : s.files)
        out << "    " << f.path << "  sha256 " << f.sha256 << "  "
            << (f.expected.empty() ? "(not in PROVENANCE.md)"
                : f.matches()      ? "ok"
                                   : "DIFFERS from PROVENANCE.md")
            << "\n";
      if (s.regression) {
        char buf[128];
        std::snprintf(buf, sizeof(buf), "    score mean %.3f, min %.3f, max %.3f\n", s.score_mean, s.score_min,
                      s.score_max);
        out << buf;
      } else {
        out << "    labels:";
        for (size_t i = 0; i < s.label_counts.size(); ++i)
          out << (i ? ", " : " ") << s.label_counts[i].first << " " << s.label_counts[i].second;
        out << "\n";
      }
    }
  }
  if (!report.warnings.empty()) {
    out << "\nwarnings:\n";
    for (const auto& w : report.warnings) out << "  " << w << "\n";
  }
  out << "\n" << (report.loaded_all() ? "all tasks loaded" : "some tasks failed to load") << "\n";
  return out.str();
}

}  // namespace hecto::tasks
