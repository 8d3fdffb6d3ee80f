# Two entry points (see README): `make demo` and `make test`.
BUILD ?= build
BUILD_TYPE ?= Release
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all deps configure build demo test clean

all: build

deps:
	@bash tools/install_deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash tools/demo.sh $(BUILD)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure

# Sanitizer build of the CPU suite + bounded libFuzzer runs of every reader (tools/harden.sh).
.PHONY: harden
harden: deps
	@bash tools/harden.sh

clean:
	rm -rf $(BUILD)
