#pragma once
// General English for the pretraining corpus beyond the tasks' training splits: text Debian
// ships as packages any user can install, and the Wikipedia paragraphs HotpotQA's training and
// development subsets carry as context (never the test questions'). Published results say data,
// not epochs, is what a small encoder lacks most.
//   wordnet_glosses:    wordnet-base's glosses (definitions and examples), ~117k texts, 1.5M words
//   gcide_definitions:  dict-gcide's 1913 Webster, markup removed (pronunciations, etymologies,
//                       attributions), one paragraph a text, ~211k texts, 3.3M words
//   hotpot_paragraphs:  ~5,900 paragraphs, 0.5M words, one per title
#include <string>
#include <vector>

namespace hecto::pretrain {

// dir "" = /usr/share/wordnet. InputError naming the file when the package is missing.
std::vector<std::string> wordnet_glosses(const std::string& dir = "");
// path "" = /usr/share/dictd/gcide.dict.dz.
std::vector<std::string> gcide_definitions(const std::string& path = "");
std::vector<std::string> hotpot_paragraphs(const std::string& data_dir);

}  // namespace hecto::pretrain
