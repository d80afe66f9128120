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
REPRODUCE_JOBS ?= 1

.PHONY: all deps configure build test test-unit test-integration test-slow bench reproduce data weights pretrain \
	report clean help

all: build

help:
	@echo "make reproduce   run the paper's experiment matrix and render the tables (see README)"
	@echo "make test        install dependencies, build, run the unit and integration tests"
	@echo "make test-slow   also run the slow tests (kill loops, fuzzers)"
	@echo "make bench       build and run the Google Benchmark suite"
	@echo "make deps        install missing Debian packages (apt-get)"
	@echo "make data        copy (or download) the datasets into $(DATA_DIR)/"
	@echo "make weights     download distilbert-base-uncased from the Hugging Face hub (paper track)"
	@echo "make pretrain    masked-LM pretraining of the offline encoder (cached once done)"
	@echo "make report      render the tables of PROFILE from RESULTS_DB"
	@echo "variables: PROFILE=paper|cpu|smoke (now $(PROFILE)), RESULTS_DB=$(RESULTS_DB), REPRODUCE_JOBS=N"

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -G "$(CMAKE_GENERATOR)" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Tests run two at a time, one torch thread each, so the 2 cores are never oversubscribed.
CTEST := cd $(BUILD_DIR) && HECTO_THREADS=1 ctest --output-on-failure -j $(JOBS)

test: build
	$(CTEST) -L 'unit|integration'

test-unit: build
	$(CTEST) -L unit

test-integration: build
	$(CTEST) -L integration

test-slow: build
	$(CTEST)

data:
	@scripts/fetch-data.sh $(DATA_DIR)

weights:
	@scripts/fetch-weights.sh

# Only the offline track needs it; a finished recipe returns at once ("cached").
pretrain: build data
	HECTO_DATA_DIR=$(DATA_DIR) $(HECTO) pretrain --config $(PRETRAIN_RECIPE) --db $(RESULTS_DB)

reproduce: build data
	@scripts/fetch-weights.sh --optional
	@if [ "$(PROFILE)" = cpu ]; then $(MAKE) --no-print-directory pretrain PROFILE=cpu RESULTS_DB=$(RESULTS_DB); fi
	HECTO_DATA_DIR=$(DATA_DIR) scripts/reproduce.sh $(HECTO) $(PROFILE) $(RESULTS_DB) $(REPRODUCE_JOBS)

report: build
	$(HECTO) report --db $(RESULTS_DB) --profile $(PROFILE) --format all

bench: build
	$(HECTO) bench

clean:
	rm -rf $(BUILD_DIR)
