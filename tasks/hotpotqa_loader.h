#pragma once
// HotpotQA records in either layout:
//  - official: one JSON array; records have _id, supporting_facts [[title, sent_id]] and
//    context [[title, [sentences]]];
//  - Hugging Face JSON lines: one object per line; id, supporting_facts {title:[], sent_id:[]}
//    and context {title:[], sentences:[[]]}.
// The first non-blank character tells them apart ('[' or '{').
#include <string>
#include <utility>
#include <vector>

namespace hecto::tasks {

struct HotpotParagraph {
  std::string title;
  std::vector<std::string> sentences;
};

struct HotpotRecord {
  std::string id;
  std::string question;
  std::string answer;
  std::string type;                                           // bridge | comparison
  std::string level;                                          // easy | medium | hard
  std::vector<std::pair<std::string, int>> supporting_facts;  // (title, sentence index)
  std::vector<HotpotParagraph> context;
  long line = 0;   // JSON lines: the record's line; official array: 0 (the file is one line)
  long index = 0;  // 0-based position in the file
};

// Throws InputError naming file and line (JSON lines) or record index (array) for invalid JSON,
// a truncated file, a missing or mistyped field, an unknown type or a repeated id.
std::vector<HotpotRecord> load_hotpotqa_file(const std::string& path);

// The questions-only layout (ReAct's hotpot_dev_v1_simplified.json: an array of {question,
// answer, type}): records without id, facts or context; id is "q<index>". Enough for the
// question_type framing. InputError naming the record for a missing field or an unknown type.
std::vector<HotpotRecord> load_hotpotqa_questions(const std::string& path);

}  // namespace hecto::tasks
