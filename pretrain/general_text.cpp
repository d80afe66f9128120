#include "pretrain/general_text.h"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "common/error.h"
#include "tasks/hotpotqa_loader.h"

namespace hecto::pretrain {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWordNetDir = "/usr/share/wordnet";
constexpr const char* kGcide = "/usr/share/dictd/gcide.dict.dz";

std::string read_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw common::InputError({path}, "cannot open", "dict-gcide's gcide.dict.dz (apt-get install dict-gcide)");
  std::string out;
  char buf[1 << 16];
  for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

// Drops `\...\` spans that close on the same line (GCIDE's pronunciations, \Af*fect"\).
std::string drop_pronunciations(const std::string& t) {
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\\') {
      const size_t close = t.find_first_of("\\\n", i + 1);
      if (close != std::string::npos && t[close] == '\\') {
        out += ' ';
        i = close;
        continue;
      }
    }
    out += t[i];
  }
  return out;
}

// Drops innermost [...] spans (those holding no bracket); applied three times it removes
// etymologies, [1913 Webster] and [Obs.] nested up to three deep and leaves a stray bracket alone.
std::string drop_innermost_brackets(const std::string& t) {
  std::string out;
  out.reserve(t.size());
  size_t open = std::string::npos;  // where the last unmatched '[' went into out
  for (char c : t) {
    if (c == '[') {
      open = out.size();
      out += c;
    } else if (c == ']' && open != std::string::npos) {
      out.resize(open);
      out += ' ';
      open = std::string::npos;
    } else {
      out += c;
    }
  }
  return out;
}

// "--Milton." and the rest of its line: a quotation's attribution.
std::string drop_attributions(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && i + 2 < text.size() && text[i + 1] == '-' && std::isupper(static_cast<unsigned char>(text[i + 2]))) {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) out += '\n';
      continue;
    }
    if (text[i] != '{' && text[i] != '}') out += text[i];
  }
  return out;
}

std::string squeeze(const std::string& s) {
  std::string out;
  bool space = true;
  for (char c : s) {
    const bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (ws) {
      if (!space) out += ' ';
      space = true;
    } else {
      out += c;
      space = false;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';')) out.pop_back();
  return out;
}

size_t word_count(const std::string& s) {
  std::istringstream in(s);
  size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

}  // namespace

std::vector<std::string> wordnet_glosses(const std::string& dir) {
  const fs::path root = dir.empty() ? fs::path(kWordNetDir) : fs::path(dir);
  std::vector<std::string> out;
  for (const char* pos : {"noun", "verb", "adj", "adv"}) {
    const fs::path path = root / (std::string("data.") + pos);
    std::ifstream in(path);
    if (!in) throw common::InputError({path.string()}, "cannot open", "wordnet-base's data files (apt-get install wordnet-base)");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("  ", 0) == 0) continue;  // the licence header
      const auto bar = line.find('|');
      if (bar == std::string::npos) continue;
      std::string gloss = line.substr(bar + 1);
      gloss.erase(std::remove(gloss.begin(), gloss.end(), '"'), gloss.end());
      gloss = squeeze(gloss);
      if (!gloss.empty()) out.push_back(gloss);
    }
  }
  return out;
}

std::vector<std::string> gcide_definitions(const std::string& path) {
  std::string raw = read_gzip(path.empty() ? kGcide : path);
  // Entries start at the first headword after the front matter.
  if (const auto begin = raw.find("Begin file 1 of 26"); begin != std::string::npos)
    if (const auto first = raw.find("\nA \\", begin); first != std::string::npos) raw = raw.substr(first);
  raw = drop_pronunciations(raw);
  for (int pass = 0; pass < 3; ++pass) raw = drop_innermost_brackets(raw);
  raw = drop_attributions(raw);
  static const std::regex headword(R"(^[A-Z][\w'\- ]*,\s*(?:n|v|a|adv|prep|conj|interj|pron)\.(?:\s*[a-z]\.)*\s*(.*)$)");
  static const std::regex marker(R"(^(?:Begin|End) file|^\* \* \*|^GCIDE)");
  static const std::regex numbering(R"(^(?:\d+\.\s*)?(?:\([a-z]\)\s*)?)");
  std::vector<std::string> out;
  auto finish = [&](std::string para) {
    para = squeeze(para);
    if (para.empty() || std::regex_search(para, marker)) return;
    std::smatch m;
    if (std::regex_match(para, m, headword)) para = m[1];
    para = squeeze(std::regex_replace(para, numbering, "", std::regex_constants::format_first_only));
    if (word_count(para) >= 3) out.push_back(std::move(para));
  };
  // Paragraphs are separated by lines holding nothing but spaces.
  std::istringstream lines(raw);
  std::string para;
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      finish(std::move(para));
      para.clear();
    } else {
      para += line + "\n";
    }
  }
  finish(std::move(para));
  return out;
}

std::vector<std::string> hotpot_paragraphs(const std::string& data_dir) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  // The training and development subsets only: the test questions' contexts are evaluation text.
  for (const char* file : {"hotpotqa/dev_distractor_subset_train.jsonl", "hotpotqa/dev_distractor_subset_dev.jsonl"}) {
    const fs::path path = fs::path(data_dir) / file;
    if (!fs::exists(path)) continue;
    for (const auto& record : tasks::load_hotpotqa_file(path.string()))
      for (const auto& p : record.context) {
        if (!seen.insert(p.title).second) continue;
        std::string text;
        for (const auto& s : p.sentences) text += s;
        if (!text.empty()) out.push_back(std::move(text));
      }
  }
  return out;
}

}  // namespace hecto::pretrain
