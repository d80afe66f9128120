// The task names the CLI and experiment files accept, and the one place they map to code.
#include <algorithm>

#include "common/error.h"
#include "tasks/hotpotqa_framing.h"
#include "tasks/task_common.h"

namespace hecto::tasks {

std::vector<std::string> task_names() { return {"agnews", "sst2", "stsb", "hotpotqa", "order_probe"}; }

std::vector<std::string> task_framings(const std::string& name) {
  if (name != "hotpotqa") return {};
  std::vector<std::string> out;
  for (const auto& f : hotpot_framings()) out.push_back(f.name);
  return out;
}

std::string default_framing(const std::string& name) { return name == "hotpotqa" ? kDefaultHotpotFraming : ""; }

std::unique_ptr<Task> make_task(const std::string& name, const TaskOptions& options) {
  const auto names = task_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw common::InputError({}, "unknown task '" + name + "'", "agnews, sst2, stsb, hotpotqa or order_probe");
  if (name != "hotpotqa" && !options.framing.empty())
    throw common::InputError({}, "task '" + name + "' has no framing '" + options.framing + "'",
                             "an empty framing (only hotpotqa has framings)");
  TaskOptions resolved = options;
  resolved.data_dir = resolve_data_dir(options.data_dir);
  if (name == "agnews") return make_agnews_task(resolved);
  if (name == "sst2") return make_sst2_task(resolved);
  if (name == "stsb") return make_stsb_task(resolved);
  if (name == "order_probe") return make_order_probe_task(resolved);
  return make_hotpotqa_task(resolved);
}

}  // namespace hecto::tasks
