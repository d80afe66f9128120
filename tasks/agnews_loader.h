#pragma once
// AG News in the three layouts we have (see shared/data/PROVENANCE.md):
//  - original CSV: class (1-4), title, description; every field quoted;
//  - Hugging Face CSV: text,label with label 0-3 and text = title + " " + description;
//  - ALPS TSV: description<TAB>ClassName (no title, no quoting).
// The layout is told by the extension (.tsv) and, for CSV, by the first record's field count.
#include <string>
#include <vector>

#include "tasks/task.h"

namespace hecto::tasks {

// World, Sports, Business, Sci/Tech: label 0-3.
const std::vector<std::string>& agnews_class_names();

// In AG News a backslash stands for a line break ("\\" for a paragraph break; the readme says
// "\n" but the files hold a lone backslash, e.g. "a second\team"). Each backslash becomes a space,
// which is what a line break is to the tokenizer.
std::string agnews_clean_text(std::string_view text);

// Reads every row; label is 0-3; text is title + " " + description (or what the layout has).
std::vector<Example> load_agnews_file(const std::string& path);

}  // namespace hecto::tasks
