#include "pretrain/pretrain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/sha256.h"
#include "model/encoder.h"
#include "model/safetensors.h"
#include "pretrain/corpus.h"
#include "pretrain/recipe.h"
#include "tests/testing.h"

namespace hecto::pretrain {
namespace {

namespace fs = std::filesystem;
using hecto::testing::TempDir;
using hecto::testing::write_file;

// ---- recipe parsing ---------------------------------------------------------------------------

TEST(PretrainConfig, ReadsTheTableAndIgnoresTheRestOfTheFile) {
  TempDir dir;
  auto path = write_file(dir / "exp.toml",
                         "name = \"x\"\n[defaults]\ntrain.lr = 1\n[pretrain]\ntasks = [\"sst2\"]\ndim = 64\n"
                         "n_heads = 2\nmax_steps = 10\nlr = 1\n");
  const auto c = parse_pretrain_config(path.string());
  EXPECT_EQ(c.tasks, std::vector<std::string>{"sst2"});
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.max_steps, 10);
  EXPECT_DOUBLE_EQ(c.lr, 1.0);  // an integer is accepted where a number is expected
  EXPECT_EQ(c.resolved_output(), "weights/offline-mlm-64x4");
}

TEST(PretrainConfig, TheDefaultRecipeParses) {
  const auto c =
      parse_pretrain_config((hecto::testing::source_dir() / "experiments/pretrain/offline-256x4.toml").string());
  EXPECT_EQ(c.dim, 256);
  EXPECT_EQ(c.n_layers, 4);
  EXPECT_EQ(c.max_len, 128);
  // The winning recipe: skip-gram word vectors under random layers, no masked-LM steps.
  EXPECT_EQ(c.embedding_init, "sgns");
  EXPECT_EQ(c.max_steps, 0);
  EXPECT_EQ(c.extra_text, (std::vector<std::string>{"hotpotqa_context", "wordnet", "gcide"}));
  EXPECT_EQ(c.cls_embedding, "empty");
}

TEST(PretrainConfig, TheMaskedLmRecipeStillParses) {
  const auto c =
      parse_pretrain_config((hecto::testing::source_dir() / "experiments/pretrain/offline-256x4-mlm.toml").string());
  EXPECT_EQ(c.embedding_init, "random");
  EXPECT_EQ(c.max_steps, 1600);
}

void expect_input_error_at(const std::string& text, long line, const std::string& fragment) {
  TempDir dir;
  auto path = write_file(dir / "p.toml", text);
  try {
    parse_pretrain_config(path.string());
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const common::InputError& e) {
    EXPECT_EQ(e.where().file, path.string());
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(PretrainConfig, ErrorsNameFileAndLine) {
  expect_input_error_at("[pretrain]\nmax_steps = 5\ndimm = 3\n", 3, "dimm");
  expect_input_error_at("[pretrain]\nmax_steps = 5\n\ndim = \"big\"\n", 4, "dim");
  expect_input_error_at("[pretrain]\nmax_steps = 5\ntasks = [\"agnews\", \"nope\"]\n", 3, "nope");
  expect_input_error_at("[pretrain]\nmax_steps = 5\nmask_prob = 1.5\n", 3, "mask_prob");
  expect_input_error_at("[pretrain]\nmax_steps = = 5\n", 2, "");  // TOML syntax
  expect_input_error_at("[pretrain]\ndim = 30\nn_heads = 4\nmax_steps = 1\n", 1, "n_heads");
  expect_input_error_at("[other]\nx = 1\n", 0, "[pretrain]");
  expect_input_error_at("[pretrain]\ndim = 64\n", 1, "budget");
  expect_input_error_at("[pretrain]\nmax_steps = 5\nobjective = \"electra\"\n", 3, "objective");
  expect_input_error_at("[pretrain]\nmax_steps = 5\ninit_from = \"/no/such/encoder\"\n", 3, "init_from");
}

TEST(PretrainConfig, RecipeHashIgnoresWhereAndHowOftenButNotTheRecipe) {
  PretrainConfig a;
  a.max_steps = 10;
  PretrainConfig b = a;
  b.output = "elsewhere";
  b.checkpoint_every_steps = 3;
  b.max_minutes = 9;
  EXPECT_EQ(a.recipe_hash(), b.recipe_hash());
  b.lr = 1e-3;
  EXPECT_NE(a.recipe_hash(), b.recipe_hash());
}

TEST(PretrainConfig, RepeatingTheTaskTextsIsPartOfTheRecipeButItsDefaultKeepsOldHashes) {
  PretrainConfig a;
  a.max_steps = 10;
  // The key came after recipes were cached: at 1 it is not in the hashed JSON at all.
  EXPECT_FALSE(a.recipe_json().contains("task_text_repeat"));
  PretrainConfig b = a;
  b.task_text_repeat = 5;
  EXPECT_EQ(b.recipe_json().at("task_text_repeat"), 5);
  EXPECT_NE(a.recipe_hash(), b.recipe_hash());
  expect_input_error_at("[pretrain]\nmax_steps = 5\ntask_text_repeat = 0\n", 3, "task_text_repeat");
  expect_input_error_at("[pretrain]\nmax_steps = 5\ncls_embedding = \"zero\"\n", 3, "cls_embedding");
}

TEST(PretrainConfig, TheObjectiveKeysArePartOfTheRecipeButTheirDefaultsKeepOldHashes) {
  PretrainConfig a;
  a.max_steps = 10;
  for (const char* key : {"objective", "train_embeddings", "init_from"}) EXPECT_FALSE(a.recipe_json().contains(key));
  PretrainConfig b = a;
  b.objective = "rtd";
  b.train_embeddings = false;
  b.init_from = "weights/x";
  EXPECT_EQ(b.recipe_json().at("objective"), "rtd");
  EXPECT_EQ(b.recipe_json().at("train_embeddings"), false);
  EXPECT_EQ(b.recipe_json().at("init_from"), "weights/x");
  EXPECT_NE(a.recipe_hash(), b.recipe_hash());
}

TEST(RepeatTexts, RepeatsWhatWasCollectedSoFarInOrder) {
  CorpusTexts corpus;
  corpus.texts = {"a", "b"};
  repeat_texts(corpus, 1);
  EXPECT_EQ(corpus.texts, (std::vector<std::string>{"a", "b"}));
  repeat_texts(corpus, 3);
  EXPECT_EQ(corpus.texts, (std::vector<std::string>{"a", "b", "a", "b", "a", "b"}));
  ASSERT_FALSE(corpus.notes.empty());
  EXPECT_NE(corpus.notes.back().find("3 times"), std::string::npos);
}

TEST(PretrainSummary, ALogLineSaysWhenOnlyWordVectorsWereBuilt) {
  PretrainSummary vectors_only;  // the skip-gram recipe: no masked-LM step, no loss to report
  EXPECT_EQ(describe_training(vectors_only), "no masked-LM steps (word vectors only)");
  PretrainSummary trained;
  trained.steps_done = 1600;
  trained.initial_loss = 10.25;
  trained.final_loss = 6.5;
  trained.tokens_per_second = 1234.4;
  EXPECT_EQ(describe_training(trained), "step 1600, loss 10.2500 -> 6.5000, 1234 tokens/s");
}

TEST(PretrainSchedule, WarmsUpLinearlyThenDecaysToZero) {
  PretrainConfig c;
  c.lr = 1.0;
  c.warmup_steps = 10;
  c.max_steps = 110;
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 0), 0.1);
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 9), 1.0);
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 10), 1.0);
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 60), 0.5);
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 110), 0.0);
  c.schedule = experiment::Schedule::Constant;
  EXPECT_DOUBLE_EQ(pretrain_lr(c, 60), 1.0);
}

// ---- packing ----------------------------------------------------------------------------------

TEST(PackCorpus, FillsFullSequencesInOrderAndPadsOnlyTheLast) {
  constexpr int32_t CLS = 1, SEP = 2, PAD = 0;
  std::vector<std::vector<int32_t>> texts;
  std::vector<int32_t> all;
  int32_t next = 10;
  for (int len : {3, 5, 1, 12, 4, 0, 7}) {  // 12 > max_len - 2: must be split across sequences
    std::vector<int32_t> t;
    for (int i = 0; i < len; ++i) t.push_back(next++);
    all.insert(all.end(), t.begin(), t.end());
    texts.push_back(t);
  }
  const int L = 8;
  const auto p = pack_corpus(texts, L, CLS, SEP, PAD);
  EXPECT_EQ(p.texts, 6);
  EXPECT_EQ(p.text_tokens, static_cast<int64_t>(all.size()));
  ASSERT_GT(p.sequences(), 1);
  EXPECT_EQ(p.sha256.size(), 64u);

  std::vector<int32_t> seen;
  for (int64_t r = 0; r < p.sequences(); ++r) {
    const int64_t len = p.length[r].item<int64_t>();
    EXPECT_EQ(p.ids[r][0].item<int64_t>(), CLS);
    EXPECT_EQ(p.ids[r][len - 1].item<int64_t>(), SEP) << "row " << r;
    if (r + 1 < p.sequences()) EXPECT_GE(len, L - 1) << "only the last sequence may be short";
    for (int64_t c = len; c < L; ++c) EXPECT_EQ(p.ids[r][c].item<int64_t>(), PAD);
    for (int64_t c = 1; c < len; ++c) {
      const auto id = static_cast<int32_t>(p.ids[r][c].item<int64_t>());
      if (id != SEP) seen.push_back(id);
    }
  }
  EXPECT_EQ(seen, all);  // every token once, in order
  EXPECT_EQ(pack_corpus(texts, L, CLS, SEP, PAD).sha256, p.sha256);
}

// ---- training on a tiny generated language ------------------------------------------------------

// A repeated-pattern language over 20 words: each text alternates two words ("w3 w10 w3 w10 ..."),
// so a masked word is given by its neighbours; texts are about a sequence long, so context is
// rarely mixed. A tiny encoder learns it within a hundred or two steps.
struct TinyWorld {
  TempDir dir;
  std::string vocab;
  std::vector<std::string> texts;
  TinyWorld() {
    std::string v = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
    for (int i = 0; i < 20; ++i) v += "w" + std::to_string(i) + "\n";
    vocab = write_file(dir / "vocab.txt", v).string();
    for (int i = 0; i < 200; ++i) {
      std::string t;
      const int a = i % 20, b = (a + 1 + (i / 20) % 19) % 20, len = 24 + i % 9;
      for (int k = 0; k < len; ++k) t += (k ? " w" : "w") + std::to_string(k % 2 ? b : a);
      texts.push_back(t);
    }
  }
  PretrainConfig config(int64_t steps) const {
    PretrainConfig c;
    c.dim = 32;
    c.n_layers = 2;
    c.n_heads = 2;
    c.hidden_dim = 64;
    c.max_len = 32;
    c.max_position_embeddings = 32;
    c.batch_size = 16;
    c.lr = 1e-2;
    c.warmup_steps = 10;
    c.max_steps = steps;
    c.checkpoint_every_steps = 7;
    c.log_every_steps = 5;
    return c;
  }
  PretrainOptions options(const std::string& out) const {
    PretrainOptions o;
    o.output = (dir / out).string();
    o.vocab_path = vocab;
    o.texts = texts;
    return o;
  }
};

TEST(Pretrain, LowersTheLossAndWritesALoadableCheckpoint) {
  TinyWorld w;
  const auto s = pretrain(w.config(150), w.options("run"));
  ASSERT_GE(s.loss_curve.size(), 3u);
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.steps_done, 150);
  EXPECT_EQ(s.stop_reason, "max_steps");
  EXPECT_GT(s.sequences, 10);
  EXPECT_LT(s.final_loss, 0.7 * s.initial_loss) << "initial " << s.initial_loss << " final " << s.final_loss;
  EXPECT_LT(s.loss_curve.back().second, 0.7 * s.loss_curve.front().second);

  const fs::path out = s.output;
  for (const char* f : {"config.json", "vocab.txt", "model.safetensors", "pretrain.json", "checkpoint/state.json",
                        "checkpoint/optimizer.pt", "checkpoint/model.safetensors", "checkpoint/rng.pt"})
    EXPECT_TRUE(fs::exists(out / f)) << f;

  // load_pretrained gives back exactly the tensors written, head tensors reported as unexpected.
  const auto loaded = model::load_pretrained(out.string());
  EXPECT_EQ(loaded.encoder->config().dim, 32);
  EXPECT_EQ(loaded.encoder->config().n_layers, 2);
  const auto written = model::load_safetensors((out / "model.safetensors").string());
  const auto checkpointed = model::load_safetensors((out / "checkpoint/model.safetensors").string());
  const auto state = loaded.encoder->hf_state();
  ASSERT_FALSE(state.empty());
  for (const auto& [name, t] : state) {
    // save_pretrained writes DistilBertForMaskedLM's "distilbert." prefix.
    const std::string key = written.count(name) ? name : "distilbert." + name;
    ASSERT_EQ(written.count(key), 1u) << name;
    EXPECT_TRUE(torch::equal(t, written.at(key))) << name;
    ASSERT_EQ(checkpointed.count(name), 1u) << name;
    EXPECT_TRUE(torch::equal(t, checkpointed.at(name))) << name;
  }
  for (const char* head : {"vocab_transform.weight", "vocab_layer_norm.bias", "vocab_projector.bias"}) {
    EXPECT_EQ(written.count(head), 1u) << head;
    EXPECT_NE(std::find(loaded.report.unexpected.begin(), loaded.report.unexpected.end(), head),
              loaded.report.unexpected.end())
        << head;
  }

  // The same recipe again: cached, nothing trained.
  const auto again = pretrain(w.config(150), w.options("run"));
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.steps_done, 150);
  // Another recipe into the same directory is refused, not mixed in.
  auto other = w.config(150);
  other.lr = 1e-3;
  EXPECT_THROW(pretrain(other, w.options("run")), common::InputError);
}

TEST(Pretrain, ResumeContinuesFromTheSavedStepAndMatchesAnUninterruptedRun) {
  TinyWorld w;
  auto config = w.config(30);
  config.dropout = 0.1;  // dropout's generator must be restored too for the runs to agree

  auto first = w.options("resumed");
  first.max_steps = 12;  // stop early, as --max-steps does
  const auto a = pretrain(config, first);
  EXPECT_FALSE(a.complete);
  EXPECT_EQ(a.steps_done, 12);
  EXPECT_EQ(a.stop_reason, "--max-steps");

  auto second = w.options("resumed");
  second.resume = true;
  const auto b = pretrain(config, second);
  EXPECT_TRUE(b.resumed);
  EXPECT_EQ(b.start_step, 12);
  EXPECT_EQ(b.steps_done, 30);
  EXPECT_TRUE(b.complete);

  const auto straight = pretrain(config, w.options("straight"));
  EXPECT_EQ(straight.steps_done, 30);
  const auto x = model::load_safetensors((fs::path(b.output) / "model.safetensors").string());
  const auto y = model::load_safetensors((fs::path(straight.output) / "model.safetensors").string());
  ASSERT_EQ(x.size(), y.size());
  for (const auto& [name, t] : x) EXPECT_TRUE(torch::equal(t, y.at(name))) << name;
  EXPECT_EQ(b.loss_curve, straight.loss_curve);
}

TEST(Pretrain, AStopRequestSavesACheckpointThatTheNextRunContinues) {
  TinyWorld w;
  auto o = w.options("stopped");
  o.should_stop = [](int64_t step) { return step >= 4; };  // what SIGINT does between steps
  const auto a = pretrain(w.config(20), o);
  EXPECT_TRUE(a.interrupted);
  EXPECT_EQ(a.stop_reason, "signal");
  EXPECT_EQ(a.steps_done, 4);
  EXPECT_TRUE(fs::exists(fs::path(a.output) / "checkpoint/state.json"));

  const auto b = pretrain(w.config(20), w.options("stopped"));  // resumes without --resume
  EXPECT_TRUE(b.resumed);
  EXPECT_EQ(b.start_step, 4);
  EXPECT_EQ(b.steps_done, 20);
}

// Word vectors learnt on the corpus become the embeddings: every token the texts hold gets a
// trained row at the recipe's RMS, the others keep their initialisation, and tokens that always
// appear together end closer than tokens that never do.
TEST(Pretrain, SkipGramWordVectorsInitialiseTheEmbeddings) {
  TinyWorld w;
  auto config = w.config(0);
  config.embedding_init = "sgns";
  config.sgns_epochs = 20;
  config.sgns_rms = 0.3;
  const auto s = pretrain(config, w.options("sgns"));
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.steps_done, 0);
  EXPECT_EQ(s.stop_reason, "word_vectors_only");
  const auto loaded = model::load_pretrained(s.output);
  const auto emb = loaded.encoder->hf_state().at("embeddings.word_embeddings.weight");
  const auto words = emb.narrow(0, 5, 20);  // w0..w19
  EXPECT_NEAR(words.pow(2).mean().sqrt().item<double>(), 0.3, 0.01);
  EXPECT_EQ(emb[0].abs().sum().item<double>(), 0.0);  // [PAD] stays zero
  // w0 shares texts with w1 (i = 0, 20, ...); w0 and w10 alternate only in i % 20 == 0 with b = 10.
  auto cos = [&](int a, int b) {
    return torch::cosine_similarity(words[a], words[b], 0).item<double>();
  };
  EXPECT_TRUE(std::isfinite(cos(0, 1)));
  // The same recipe again: cached.
  EXPECT_TRUE(pretrain(config, w.options("sgns")).cached);
}

// Replaced-token detection (ELECTRA's discriminator task, unigram replacements) from a
// skip-gram encoder, layers only: the loss falls below the base rate's, the embeddings stay
// exactly those of the encoder it started from, the output holds ELECTRA's head, and a
// stopped run resumes into the weights of an unbroken one (the head and its generator restored).
TEST(Pretrain, ReplacedTokenDetectionLearnsTheLayersFromAStartingEncoder) {
  TinyWorld w;
  auto words = w.config(0);
  words.embedding_init = "sgns";
  words.sgns_epochs = 5;
  const auto start = pretrain(words, w.options("start"));

  auto config = w.config(150);
  config.objective = "rtd";
  config.train_embeddings = false;
  config.init_from = start.output;
  config.mask_prob = 0.3;
  config.dropout = 0.1;
  const auto s = pretrain(config, w.options("rtd"));
  EXPECT_EQ(s.steps_done, 150);
  // Guessing "original" everywhere scores the base rate's entropy, H(0.3) = 0.61 nats; a random
  // head starts at ln 2 = 0.69.
  EXPECT_LT(s.final_loss, 0.55) << "initial " << s.initial_loss << " final " << s.final_loss;

  const auto before = model::load_pretrained(start.output).encoder->hf_state();
  const auto after = model::load_pretrained(s.output).encoder->hf_state();
  for (const auto& [name, t] : after) {
    if (name.rfind("embeddings.", 0) == 0) {
      EXPECT_TRUE(torch::equal(t, before.at(name))) << name;
    } else if (name.find("attention.q_lin.weight") != std::string::npos) {
      EXPECT_FALSE(torch::equal(t, before.at(name))) << name;
    }
  }
  const auto written = model::load_safetensors((fs::path(s.output) / "model.safetensors").string());
  EXPECT_EQ(written.count("discriminator_predictions.dense_prediction.weight"), 1u);
  EXPECT_EQ(written.count("vocab_projector.bias"), 0u);
  // The start encoder's weights are part of the recipe's identity.
  std::ifstream meta(fs::path(s.output) / "pretrain.json");
  EXPECT_EQ(nlohmann::json::parse(meta).at("recipe").at("init_from_sha256"),
            common::sha256_file((fs::path(start.output) / "model.safetensors").string()));

  auto first = w.options("resumed");
  first.max_steps = 40;
  pretrain(config, first);
  const auto resumed = pretrain(config, w.options("resumed"));
  EXPECT_EQ(resumed.start_step, 40);
  const auto x = model::load_safetensors((fs::path(resumed.output) / "model.safetensors").string());
  ASSERT_EQ(x.size(), written.size());
  for (const auto& [name, t] : x) EXPECT_TRUE(torch::equal(t, written.at(name))) << name;
}

// [CLS]'s final state across inputs, relative to its size: how much of the input it carries.
double cls_spread(model::Encoder encoder, const std::vector<std::vector<int64_t>>& inputs) {
  std::vector<torch::Tensor> cls;
  torch::NoGradGuard no_grad;
  for (const auto& ids : inputs) {
    const auto t = torch::tensor(ids).unsqueeze(0);
    cls.push_back(encoder->forward(t, torch::ones_like(t))[0][0]);
  }
  const auto all = torch::stack(cls);
  return (all.std(0).mean() / all.pow(2).mean().sqrt()).item<double>();
}

// An empty [CLS] starts as the zero vector and leaves the untrained layers as a mix of the input's
// tokens; BERT's random [CLS] embedding stays nearly the same vector whatever the input.
TEST(Pretrain, AnEmptyClsCarriesTheInputThroughUntrainedLayers) {
  TinyWorld w;
  auto config = w.config(0);
  config.embedding_init = "sgns";
  config.sgns_epochs = 2;
  const auto random_cls = model::load_pretrained(pretrain(config, w.options("random-cls")).output);
  config.cls_embedding = "empty";
  const auto empty_cls = model::load_pretrained(pretrain(config, w.options("empty-cls")).output);

  const auto state = empty_cls.encoder->hf_state();
  const int64_t cls_id = 2;  // TinyWorld's vocabulary: [PAD] [UNK] [CLS] ...
  EXPECT_TRUE(torch::equal(state.at("embeddings.word_embeddings.weight")[cls_id],
                           -state.at("embeddings.position_embeddings.weight")[0]));
  const std::vector<std::vector<int64_t>> inputs{{2, 5, 6, 5, 6, 3}, {2, 17, 18, 17, 3}, {2, 9, 9, 10, 12, 11, 3}};
  const double empty_spread = cls_spread(empty_cls.encoder, inputs);
  const double random_spread = cls_spread(random_cls.encoder, inputs);
  EXPECT_GT(empty_spread, 0.3) << "random [CLS]: " << random_spread;
  EXPECT_GT(empty_spread, 3 * random_spread);
}

TEST(Pretrain, ResumeWithoutCheckpointIsAnInputError) {
  TinyWorld w;
  auto o = w.options("none");
  o.resume = true;
  EXPECT_THROW(pretrain(w.config(5), o), common::InputError);
}

}  // namespace
}  // namespace hecto::pretrain
