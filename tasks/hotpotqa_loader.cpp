#include "tasks/hotpotqa_loader.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <set>
#include <sstream>

#include "common/error.h"
#include "tasks/text_input.h"

namespace hecto::tasks {

using common::InputError;
using nlohmann::json;

namespace {

// Where a record sits, for messages: line for JSON lines, record index for the array layout.
struct RecordPlace {
  std::string file;
  long line;
  long index;
  common::SourceLocation where() const { return {file, line}; }
  std::string prefix() const { return line > 0 ? "" : "record " + std::to_string(index) + ": "; }
};

[[noreturn]] void bad(const RecordPlace& at, const std::string& problem, const std::string& expected) {
  throw InputError(at.where(), at.prefix() + problem, expected);
}

const json& field(const json& obj, const char* name, json::value_t type, const RecordPlace& at) {
  auto it = obj.find(name);
  const char* type_name = type == json::value_t::string  ? "a string"
                          : type == json::value_t::array ? "an array"
                                                         : "an object";
  if (it == obj.end())
    bad(at, std::string("missing field '") + name + "'", std::string("'") + name + "' as " + type_name);
  if (it->type() != type) bad(at, std::string("field '") + name + "' is " + it->type_name(), type_name);
  return *it;
}

std::string string_field(const json& obj, const char* name, const RecordPlace& at) {
  return field(obj, name, json::value_t::string, at).get<std::string>();
}

int sentence_id(const json& v, const RecordPlace& at) {
  if (!v.is_number_integer() || v.get<long>() < 0 || v.get<long>() > INT_MAX)
    bad(at, "supporting fact sentence id " + v.dump() + " is invalid", "an integer >= 0");
  return v.get<int>();
}

std::vector<std::string> string_list(const json& v, const RecordPlace& at, const char* what) {
  if (!v.is_array()) bad(at, std::string(what) + " is " + v.type_name(), "an array of strings");
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string()) bad(at, std::string(what) + " holds a " + s.type_name(), "strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

void read_official_facts(const json& obj, HotpotRecord& r, const RecordPlace& at) {
  for (const auto& f : field(obj, "supporting_facts", json::value_t::array, at)) {
    if (!f.is_array() || f.size() != 2 || !f[0].is_string())
      bad(at, "supporting fact " + f.dump() + " is malformed", "[title, sent_id]");
    r.supporting_facts.emplace_back(f[0].get<std::string>(), sentence_id(f[1], at));
  }
  for (const auto& p : field(obj, "context", json::value_t::array, at)) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_string())
      bad(at, "context paragraph is malformed", "[title, [sentences]]");
    r.context.push_back({p[0].get<std::string>(), string_list(p[1], at, "context sentences")});
  }
}

void read_hf_facts(const json& obj, HotpotRecord& r, const RecordPlace& at) {
  const json& sf = field(obj, "supporting_facts", json::value_t::object, at);
  const auto titles = string_list(field(sf, "title", json::value_t::array, at), at, "supporting_facts.title");
  const json& ids = field(sf, "sent_id", json::value_t::array, at);
  if (ids.size() != titles.size())
    bad(at, "supporting_facts.title and .sent_id differ in length", "one sent_id per title");
  for (size_t i = 0; i < titles.size(); ++i) r.supporting_facts.emplace_back(titles[i], sentence_id(ids[i], at));
  const json& ctx = field(obj, "context", json::value_t::object, at);
  const auto ctitles = string_list(field(ctx, "title", json::value_t::array, at), at, "context.title");
  const json& sents = field(ctx, "sentences", json::value_t::array, at);
  if (sents.size() != ctitles.size())
    bad(at, "context.title and .sentences differ in length", "one sentence list per title");
  for (size_t i = 0; i < ctitles.size(); ++i)
    r.context.push_back({ctitles[i], string_list(sents[i], at, "context sentences")});
}

HotpotRecord read_record(const json& obj, const RecordPlace& at, bool official) {
  if (!obj.is_object()) bad(at, std::string("record is ") + obj.type_name(), "a JSON object");
  HotpotRecord r;
  r.line = at.line;
  r.index = at.index;
  r.id = string_field(obj, official ? "_id" : "id", at);
  r.question = string_field(obj, "question", at);
  r.answer = string_field(obj, "answer", at);
  r.type = string_field(obj, "type", at);
  if (r.type != "bridge" && r.type != "comparison")
    bad(at, "unknown type " + quote_for_message(r.type), "bridge or comparison");
  if (auto it = obj.find("level"); it != obj.end() && it->is_string()) r.level = it->get<std::string>();
  if (official)
    read_official_facts(obj, r, at);
  else
    read_hf_facts(obj, r, at);
  if (trim(r.question).empty()) bad(at, "empty question", "a question");
  return r;
}

// Line and column of a byte offset, for parse errors in the array layout.
common::SourceLocation locate(const std::string& path, const std::string& text, size_t byte) {
  byte = std::min(byte, text.size());
  long line = 1, column = 1;
  for (size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {path, line, column};
}

std::string parse_problem(const json::exception& e) {
  std::string what = e.what();
  // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 5: <reason>"
  auto colon = what.find(": ");
  return "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
}

}  // namespace

std::vector<HotpotRecord> load_hotpotqa_file(const std::string& path) {
  auto in = open_input(path);
  std::vector<HotpotRecord> out;
  std::set<std::string> ids;
  auto add = [&](HotpotRecord r, const RecordPlace& at) {
    if (!ids.insert(r.id).second) bad(at, "question id " + quote_for_message(r.id) + " appears twice", "unique ids");
    out.push_back(std::move(r));
  };
  in >> std::ws;
  if (in.peek() == '[') {
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::parse_error& e) {
      throw InputError(locate(path, text, e.byte == 0 ? 0 : e.byte - 1), parse_problem(e),
                       "a complete JSON array of records");
    } catch (const json::exception& e) {
      // Valid syntax nlohmann cannot hold, e.g. a number beyond double's range (out_of_range.406).
      throw InputError({path}, parse_problem(e), "a complete JSON array of records");
    }
    for (size_t i = 0; i < doc.size(); ++i) {
      RecordPlace at{path, 0, static_cast<long>(i)};
      add(read_record(doc[i], at, true), at);
    }
    return out;
  }
  in.clear();
  in.seekg(0);
  LineReader reader(in, path);
  std::string line;
  long index = 0;
  while (reader.next(line)) {
    if (trim(line).empty()) continue;
    RecordPlace at{path, reader.line_number(), index++};
    json obj;
    try {
      obj = json::parse(line);
    } catch (const json::parse_error& e) {
      throw InputError({path, reader.line_number(), static_cast<long>(e.byte)}, parse_problem(e),
                       "one complete JSON object per line");
    } catch (const json::exception& e) {
      throw InputError({path, reader.line_number(), 0}, parse_problem(e), "one complete JSON object per line");
    }
    add(read_record(obj, at, false), at);
  }
  if (out.empty()) throw InputError({path}, "no records", "a JSON array or one JSON object per line");
  return out;
}

std::vector<HotpotRecord> load_hotpotqa_questions(const std::string& path) {
  auto in = open_input(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(locate(path, text, e.byte == 0 ? 0 : e.byte - 1), parse_problem(e), "a JSON array of questions");
  } catch (const json::exception& e) {
    throw InputError({path}, parse_problem(e), "a JSON array of questions");
  }
  if (!doc.is_array()) throw InputError({path, 1, 1}, "the file is not a JSON array", "[{question, answer, type}, ...]");
  std::vector<HotpotRecord> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    const RecordPlace at{path, 0, static_cast<long>(i)};
    if (!doc[i].is_object()) bad(at, std::string("the record is ") + doc[i].type_name(), "an object");
    HotpotRecord r;
    r.id = "q" + std::to_string(i);
    r.question = string_field(doc[i], "question", at);
    r.answer = string_field(doc[i], "answer", at);
    r.type = string_field(doc[i], "type", at);
    if (r.type != "bridge" && r.type != "comparison")
      bad(at, "type " + quote_for_message(r.type) + " is unknown", "\"bridge\" or \"comparison\"");
    r.index = static_cast<long>(i);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hecto::tasks
