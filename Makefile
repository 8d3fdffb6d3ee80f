# Two entry points (see README.md, Quick start): `make demo` and `make test`.
BUILD ?= build
BUILD_TYPE ?= Release
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all deps configure build demo test clean

all: build

deps:
	@bash tools/install_deps.sh
	@bash tools/install_python_deps.sh

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

# The whole CPU comparison (docs/benchmarks.md): every suite and method at BENCH_TIME seconds per
# method and instance, the loss timing, the plots and the results section (section.md), all in
# BENCH_OUT/BENCH_RUN. BENCH_README=docs/results.md also rewrites the bench:begin/end block of
# that file (the published results); BENCH_ARGS passes more options to bench/run.py (e.g.
# --quick); BENCH_REPORT_ARGS to bench/report.py (e.g. --gpu-loss DIR --cpsat-long DIR for the
# targets). Size caps (docs/benchmarks.md): fds (quadratic) only up to 20,000 ops, the CBC ILP
# (on larger graphs its root LP does not finish in seconds: it returns its start at the
# deadline) up to 1,000 ops.
BENCH_TIME ?= 4
BENCH_OUT ?= bench/out
BENCH_README ?=
ifeq ($(BENCH_RUN),)
BENCH_RUN := cpu-$(shell date -u +%Y%m%d-%H%M%S)
endif
.PHONY: bench-cpu
bench-cpu: configure
	@python3 -c 'import ortools, matplotlib' || \
	  { echo "bench-cpu: run tools/install_bench_deps.sh first"; exit 1; }
	@cmake --build $(BUILD) -j $(JOBS) --target gaus_cli gaus_loss_bench
	@if grep -q '^CBC_FOUND:INTERNAL=1' $(BUILD)/CMakeCache.txt; then \
	  cmake --build $(BUILD) -j $(JOBS) --target gaus_ilp; fi
	@methods=list,fds,asap,alap,gaus-cpu,cpsat; \
	if [ -f bench/baselines/ilp.cpp ] && [ -x $(BUILD)/bench/gaus_ilp ]; then \
	  methods=$$methods,ilp; fi; \
	python3 bench/run.py --suites express,rw,epfl,machsuite --methods $$methods \
	  --time-limit $(BENCH_TIME) --max-ops fds=20000,ilp=1000 --cpsat-workers $(JOBS) \
	  --gaus $(BUILD)/tools/gaus --ilp $(BUILD)/bench/gaus_ilp \
	  --out-dir $(BENCH_OUT) --run-id $(BENCH_RUN) $(BENCH_ARGS)
	@$(BUILD)/bench/gaus_loss_bench --backend cpu --sizes 100000 1000000 --iters 5 \
	  --min-seconds 1 --out $(BENCH_OUT)/$(BENCH_RUN)/loss_cpu.json
	@python3 bench/report.py $(BENCH_OUT)/$(BENCH_RUN) --out $(BENCH_OUT)/$(BENCH_RUN)/section.md \
	  $(if $(BENCH_README),--readme $(BENCH_README)) $(BENCH_REPORT_ARGS)
