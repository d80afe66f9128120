# The two commands a user needs: `make reproduce` and `make test`. Everything else is a step of those.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
HECTO := $(BUILD_DIR)/hecto

DATA_DIR ?= data
# The paper track when its weights are here, else the offline (CPU) track.
PROFILE ?= $(shell test -s weights/distilbert-base-uncased/model.safetensors && echo paper || echo cpu)
RESULTS_DB ?= results/$(PROFILE).db
PRETRAIN_RECIPE ?= experiments/pretrain/offline-256x4.toml
# Cells at once for make reproduce (threads are split between them).
REPRODUCE_JOBS ?= auto
# More options for every `hecto run` of make reproduce, e.g. RUN_FLAGS="--precision fp32" or
# RUN_FLAGS="--set train.epochs=5"; the report then goes to reports/out/REPORT_NAME/.
RUN_FLAGS ?=
REPORT_NAME ?= $(PROFILE)
# The offline profiles' encoder, pretrained first (a finished recipe returns at once).
PRETRAIN_IF_OFFLINE = case "$(PROFILE)" in cpu|quick) $(MAKE) --no-print-directory pretrain PROFILE=$(PROFILE) \
  RESULTS_DB=$(RESULTS_DB);; esac

.PHONY: open-questions five-seeds all deps configure build build-hecto test test-unit test-integration test-gpu test-slow test-slurm test-sanitize fuzz bench reproduce data \
	weights pretrain report clean help

all: build

help:
	@echo "make reproduce   run the paper's experiment matrix and render the tables (see README)"
	@echo "make test        install dependencies, build, run the unit and integration tests"
	@echo "make test-slow   also run the slow tests (kill loop) and the fuzzers (make fuzz)"
	@echo "make test-slurm  a live single-node Slurm cluster: array, merge, cancelled task resubmitted (root)"
	@echo "make test-sanitize  unit tests built with AddressSanitizer + UBSan (build-sanitize)"
	@echo "make fuzz        build the libFuzzer targets with clang (build-fuzz), run each FUZZ_SECONDS"
	@echo "make bench       build and run the Google Benchmark suite (figures into RESULTS_DB)"
	@echo "make build       build everything (the hecto binary, tests, benchmarks); make build-hecto: the binary alone"
	@echo "make deps        install missing Debian packages (apt-get)"
	@echo "make data        the staged datasets, then the official ones when online, into $(DATA_DIR)/"
	@echo "make weights     download distilbert-base-uncased from the Hugging Face hub (paper track)"
	@echo "make pretrain    masked-LM pretraining of the offline encoder (cached once done)"
	@echo "make report      render the tables of PROFILE from RESULTS_DB"
	@echo "make open-questions  the paper's open questions (experiments/open/*.toml) on the cpu profile: about 1 h on 2 cores"
	@echo "make five-seeds  the claims' AG News cells over seeds 0-4, reusing RESULTS_DB's seeds 0-2; its own report"
	@echo "variables: PROFILE=paper|cpu|quick|smoke (now $(PROFILE)), RESULTS_DB=$(RESULTS_DB), REPRODUCE_JOBS=N,"
	@echo "           RUN_FLAGS=\"--precision fp32\" (more hecto run options), REPORT_NAME=NAME (reports/out/NAME)"

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Only the hecto binary: what running experiments needs. Tests and benchmarks are more than half of
# a fresh build, and `make reproduce` never runs them.
build-hecto: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target hecto

# Tests run two at a time, one torch thread each, so the 2 cores are never oversubscribed.
CTEST := cd $(BUILD_DIR) && HECTO_THREADS=1 ctest --output-on-failure -j $(JOBS)

test: build
	$(CTEST) -L 'unit|integration'

test-unit: build
	$(CTEST) -L unit

test-integration: build
	$(CTEST) -L integration

# CUDA-only tests (label gpu): they skip, saying why, without a GPU and a CUDA LibTorch.
test-gpu: build
	$(CTEST) -L gpu

# A live Slurm cluster on this machine (root; installs slurm-wlm and munge when missing): the
# test starts and stops it itself (tests/runner/slurm_live.sh, label slurm).
test-slurm: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L slurm

# Every label but slurm (unit, integration, slow), then the fuzzers.
test-slow: build
	$(CTEST) -LE slurm
	$(MAKE) fuzz

# Unit tests with AddressSanitizer + UndefinedBehaviorSanitizer (g++), leak checking on. LibTorch
# itself is not instrumented (its bugs are not looked for); no suppressions are needed.
SANITIZE_DIR ?= build-sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHECTO_BUILD_BENCH=OFF \
	  "-DCMAKE_CXX_FLAGS=$(SANITIZE_FLAGS)" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && HECTO_THREADS=1 \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit

# libFuzzer targets (tests/fuzz): clang, ASan + UBSan, torch-free sources only, in their own build.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 30
fuzz:
	@scripts/install-deps.sh clang
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G "$(CMAKE_GENERATOR)" -DHECTO_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHECTO_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	cd $(FUZZ_DIR) && ctest --output-on-failure -j $(JOBS) -L slow

data:
	@scripts/fetch-data.sh $(DATA_DIR)

weights:
	@scripts/fetch-weights.sh

# Only the offline track needs it; a finished recipe returns at once ("cached").
pretrain: build-hecto data
	HECTO_DATA_DIR=$(DATA_DIR) $(HECTO) pretrain --config $(PRETRAIN_RECIPE) --db $(RESULTS_DB)

reproduce: build-hecto data
	@scripts/fetch-weights.sh --optional
	@$(PRETRAIN_IF_OFFLINE)
	HECTO_DATA_DIR=$(DATA_DIR) RUN_FLAGS="$(RUN_FLAGS)" REPORT_NAME="$(REPORT_NAME)" \
	  scripts/reproduce.sh $(HECTO) $(PROFILE) $(RESULTS_DB) $(REPRODUCE_JOBS)

# The paper's open questions (issue 21): expert kind, order probe, loss-weight grid; then the report.
open-questions: build-hecto data pretrain
	@for f in experiments/open/order-probe.toml experiments/open/lambda-grid.toml experiments/open/expert-kind.toml; do \
	  HECTO_DATA_DIR=$(DATA_DIR) $(HECTO) run $$f --profile cpu --db results/open.db --jobs $(REPRODUCE_JOBS) || exit $$?; done
	$(HECTO) report --db results/open.db --profile open --format all

# The claims over five seeds (experiments/paper/five-seeds.toml) in a database of their own, so the
# profile's tables keep their three seeds: RESULTS_DB's finished cells are merged in first, and
# only the cells it lacks run (seeds 3 and 4 after make reproduce).
FIVE_SEEDS_DB ?= results/$(PROFILE)-five-seeds.db
five-seeds: build-hecto data
	@$(PRETRAIN_IF_OFFLINE)
	@if [ -f $(RESULTS_DB) ]; then $(HECTO) merge $(FIVE_SEEDS_DB) $(RESULTS_DB); fi
	HECTO_DATA_DIR=$(DATA_DIR) $(HECTO) run experiments/paper/five-seeds.toml --profile $(PROFILE) --db $(FIVE_SEEDS_DB) \
	  --jobs $(REPRODUCE_JOBS)
	$(HECTO) report --db $(FIVE_SEEDS_DB) --experiment paper-five-seeds --profile $(PROFILE)-five-seeds --format all

report: build-hecto
	$(HECTO) report --db $(RESULTS_DB) --profile $(PROFILE) --format all

# Every *_bench binary, figures stored in RESULTS_DB (docs/bench.md). BENCH_ARGS passes options
# on, e.g. BENCH_ARGS="--filter encoder_forward --min-time 2".
BENCH_ARGS ?=
bench: build
	$(HECTO) bench --db $(RESULTS_DB) $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR)
