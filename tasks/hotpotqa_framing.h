#pragma once
// HotpotQA questions turned into classification examples. Each framing is an input builder with a
// version: change how text is assembled and bump it, so token caches keyed on it go stale.
#include <string>
#include <vector>

#include "tasks/hotpotqa_loader.h"
#include "tasks/task.h"

namespace hecto::tasks {

struct HotpotFraming {
  std::string name;     // question_type | answer_type | supporting_fact
  std::string builder;  // e.g. "hotpotqa.answer_type/v1"
  std::vector<std::string> label_names;
  bool pair_input = false;
  std::string primary_metric;
};

const std::vector<HotpotFraming>& hotpot_framings();
// InputError listing the framings when the name is unknown.
const HotpotFraming& hotpot_framing(const std::string& name);
inline constexpr const char* kDefaultHotpotFraming = "question_type";

// question_type: text_a = question; 0 bridge, 1 comparison.
// answer_type:   text_a = question, text_b = its supporting sentences in supporting_facts order,
//                joined by spaces; 0 yes, 1 no, 2 span (answer "yes"/"no" ignoring case and spaces).
// supporting_fact: one example per context sentence: text_a = question, text_b = "title: sentence";
//                1 when (title, index) is a supporting fact, else 0.
// Every example's group_id is the question id. `path` names the file in error messages.
std::vector<Example> frame_hotpot_record(const HotpotRecord& record, const HotpotFraming& framing,
                                         const std::string& path);

}  // namespace hecto::tasks
