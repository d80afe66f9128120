// Any bytes as a dataset file, in each layout we read: AG News (original and Hugging Face CSV,
// ALPS TSV), SST-2 and STS-B TSV, HotpotQA (JSON lines and the official array, then every framing).
// The first byte picks the loader. Loading either throws InputError (file and line) or returns
// examples whose labels and scores are in range.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "common/error.h"
#include "tasks/agnews_loader.h"
#include "tasks/glue_loaders.h"
#include "tasks/hotpotqa_framing.h"
#include "tasks/hotpotqa_loader.h"
#include "tasks/text_input.h"
#include "tests/fuzz/fuzz_util.h"

using namespace hecto::tasks;

namespace {

void check_labels(const std::vector<Example>& examples, int n_classes) {
  for (const auto& e : examples)
    if (e.label < 0 || e.label >= n_classes) abort();
}

void load(uint8_t which, std::string_view text) {
  switch (which % 7) {
    case 0:
      check_labels(load_agnews_file(hecto::fuzz::write_scratch("ag.csv", text)), 4);
      break;
    case 1:
      check_labels(load_agnews_file(hecto::fuzz::write_scratch("ag.tsv", text)), 4);
      break;
    case 2:
      check_labels(load_sst2_file(hecto::fuzz::write_scratch("sst2.tsv", text)), 2);
      break;
    case 3:
      for (const auto& e : load_stsb_file(hecto::fuzz::write_scratch("sts.csv", text)))
        if (!(e.score >= 0 && e.score <= 5)) abort();
      break;
    case 4:
    case 5: {
      const std::string path = hecto::fuzz::write_scratch(which % 7 == 4 ? "h.jsonl" : "h.json", text);
      for (const auto& record : load_hotpotqa_file(path))
        for (const auto& framing : hotpot_framings())
          check_labels(frame_hotpot_record(record, framing, path), static_cast<int>(framing.label_names.size()));
      break;
    }
    default: {
      std::istringstream in{std::string(text)};
      CsvReader reader(in, "fuzz.csv");
      CsvRecord record;
      while (reader.next(record)) {
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    load(data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  } catch (const hecto::common::InputError&) {
  }
  return 0;
}
