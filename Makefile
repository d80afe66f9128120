# The two commands a user needs: `make reproduce` and `make test`. Everything else is a step of those.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
HECTO := $(BUILD_DIR)/hecto

.PHONY: all deps configure build test test-unit test-integration test-slow bench reproduce data weights clean help

all: build

help:
	@echo "make reproduce   run the paper's experiment matrix and render the tables (see README)"
	@echo "make test        install dependencies, build, run the unit and integration tests"
	@echo "make test-slow   also run the slow tests (kill loops, fuzzers)"
	@echo "make bench       build and run the Google Benchmark suite"
	@echo "make deps        install missing Debian packages (apt-get)"

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

bench: build
	$(HECTO) bench

clean:
	rm -rf $(BUILD_DIR)
