#include "tasks/known_files.h"

namespace hecto::tasks {

const std::map<std::string, std::string>& known_file_sha256() {
  static const std::map<std::string, std::string> table{
      {"ag_news/test.csv", "521465c2428ed7f02f8d6db6ffdd4b5447c1c701962353eb2c40d548c3c85699"},
      {"ag_news/classes.txt", "612dbfa932f07a6ed837295a7d5746ce7412e7bb4bc32ba919fdb3cda3a1b9b5"},
      {"ag_news/train_sample_5k.csv", "23ff4a798bef4c6f1bab4018f491757b87e124901515e4e208461e022a163401"},
      {"ag_news/train_sample_10k_description_only.tsv",
       "7a0811e0006080bf4de17752c5466450ff3db778be71bc5bcf3c4e99b5f0803d"},
      {"sst2/train.tsv", "48eac26399f8456935f81dd9e3a745c1430adb6c62e233ccfe22db4a0d15d1d1"},
      {"sst2/dev.tsv", "54a9c12c77e402fc14d6a66a506f24d999f596b0176eb777c972cccc2f9cc4b0"},
      {"stsb/train.tsv", "41c4d978b6162abdcada7e49a982211954cca5459c228db478af333124b257a2"},
      {"stsb/dev.tsv", "fe7dc0632a5033562f3cadff991f6e8d9b9b6311861660e78c3c82eb7db67f59"},
      {"stsb/sts-train.csv", "0f71910b59aa1ad973c5897f0791f3b0965a92b8f82b1a95f3eea9f4162fda82"},
      {"stsb/sts-dev.csv", "5d7e944d8b02734b07bfdb5df67db3420c64bed153fcaa1ba47ad03480cf4234"},
      {"stsb/sts-test.csv", "affe45928a66ee5a708531233c95b7dacbbdc57f974f002a3d32ea0180cf816a"},
      {"hotpotqa/dev_distractor_subset_train.jsonl",
       "e587f80176337ff705ca2f9c178f2bd784280b388abf302ad4071c482baa0dfb"},
      {"hotpotqa/dev_distractor_subset_dev.jsonl", "c6fa5317cc316b65b3c82d441ea641aef4a588b4aaec9377bbd167637d8665e8"},
      {"hotpotqa/dev_distractor_subset_test.jsonl", "3ab48ee61e64301dff1efbb956ca5ebdfcd1569a2e9d7381fd882e070badfb2a"},
      {"hotpotqa/official_format_first53_dev_distractor.json",
       "1a02638a3deaf2c6641d05b6a2bd923d589be8e58b33ed6d018beb21952c8553"},
      {"hotpotqa/hotpot_dev_v1_simplified.json", "05001dcdeb2b2b2243a88f23daaf8de9237494cd387e13bc25854d3e031101d3"},
      {"tokenizer/bert-base-uncased/vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"},
      {"tokenizer/bert-base-uncased/bert-base-uncased-config.json",
       "7160e1553ad2ca51d8c1cb066be533db31826e12d173824c1bb0cb1a4f187d20"},
  };
  return table;
}

}  // namespace hecto::tasks
