#include "tasks/hotpotqa_framing.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/error.h"
#include "tasks/text_input.h"

namespace hecto::tasks {

const std::vector<HotpotFraming>& hotpot_framings() {
  static const std::vector<HotpotFraming> all{
      {"question_type", "hotpotqa.question_type/v1", {"bridge", "comparison"}, false, "accuracy"},
      {"answer_type", "hotpotqa.answer_type/v1", {"yes", "no", "span"}, true, "accuracy"},
      // About 6% of sentences support the answer: accuracy would reward saying "no" everywhere.
      {"supporting_fact", "hotpotqa.supporting_fact/v1", {"not_supporting", "supporting"}, true, "f1"},
  };
  return all;
}

const HotpotFraming& hotpot_framing(const std::string& name) {
  const std::string wanted = name.empty() ? kDefaultHotpotFraming : name;
  for (const auto& f : hotpot_framings())
    if (f.name == wanted) return f;
  throw common::InputError({}, "unknown hotpotqa framing '" + name + "'",
                           "question_type, answer_type or supporting_fact");
}

namespace {

std::string lower_trimmed(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The sentence a supporting fact points at, or nullptr when the context lacks it (the official
// dev set has a few facts whose index is past the paragraph's end).
const std::string* find_sentence(const HotpotRecord& r, const std::string& title, int index) {
  for (const auto& p : r.context)
    if (p.title == title && index >= 0 && static_cast<size_t>(index) < p.sentences.size()) return &p.sentences[index];
  return nullptr;
}

}  // namespace

std::vector<Example> frame_hotpot_record(const HotpotRecord& r, const HotpotFraming& framing, const std::string& path) {
  std::vector<Example> out;
  const std::string question(trim(r.question));
  if (framing.name == "question_type") {
    Example e;
    e.text_a = question;
    e.label = r.type == "comparison" ? 1 : 0;
    e.group_id = r.id;
    out.push_back(std::move(e));
  } else if (framing.name == "answer_type") {
    Example e;
    e.text_a = question;
    for (const auto& [title, index] : r.supporting_facts) {
      const std::string* s = find_sentence(r, title, index);
      if (!s) continue;
      const auto t = trim(*s);
      if (t.empty()) continue;
      if (!e.text_b.empty()) e.text_b += ' ';
      e.text_b += t;
    }
    if (e.text_b.empty())
      throw common::InputError({path, r.line},
                               "question " + quote_for_message(r.id) + " has no supporting sentence in its context",
                               "supporting_facts naming sentences of context");
    const std::string a = lower_trimmed(r.answer);
    e.label = a == "yes" ? 0 : a == "no" ? 1 : 2;
    e.group_id = r.id;
    out.push_back(std::move(e));
  } else {
    const std::set<std::pair<std::string, int>> facts(r.supporting_facts.begin(), r.supporting_facts.end());
    for (const auto& p : r.context) {
      for (size_t i = 0; i < p.sentences.size(); ++i) {
        Example e;
        e.text_a = question;
        e.text_b = std::string(trim(p.title)) + ": " + std::string(trim(p.sentences[i]));
        e.label = facts.count({p.title, static_cast<int>(i)}) ? 1 : 0;
        e.group_id = r.id;
        out.push_back(std::move(e));
      }
    }
  }
  return out;
}

}  // namespace hecto::tasks
