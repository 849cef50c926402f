# changegate: the two commands a newcomer needs are `make demo` and `make test`.
# Each front end keeps its own targets in bindings/<name>/<name>.mk.

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
ROOT := $(abspath .)
VENV := $(ROOT)/.venv
CLI := target/release/changegate

.PHONY: help demo build test test-rust clean

help:
	@echo "make demo   - build the CLI and check the example change against the example policies"
	@echo "make test   - install what is missing, then run every suite (Rust, Python, Node, WASM, browser, fuzz smoke)"
	@echo "make bench  - run the benchmarks (see benches/README.md)"
	@echo "make fuzz   - run each fuzz target for 10 minutes (see fuzz/README.md)"

build:
	$(CARGO) build --release -p changegate-cli

demo: build
	@echo "\$$ changegate check --policy policies/ --graph policies/estate.json --change policies/examples/demo/change.json"
	@$(CLI) check --policy policies/ --graph policies/estate.json --change policies/examples/demo/change.json --format text; \
	  code=$$?; echo; echo "(exit code $$code: 0 approved, 2 pending, 3 denied, 1 error)"; [ $$code -ne 1 ]

test: test-rust test-python test-node test-wasm fuzz-smoke
	@echo "all suites passed"

test-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --exclude changegate-benches --all-targets -- -D warnings
	$(CARGO) test --workspace --exclude changegate-benches
	$(CARGO) build --release -p changegate-cli


clean:
	$(CARGO) clean
	rm -rf $(VENV)

# The hostile-input list (core/tests/hostile/README.md), expanded into files
# for the Python, Node and WASM suites; the Rust suites expand it in process.
HOSTILE_INPUTS := target/hostile/manifest.json
$(HOSTILE_INPUTS): core/tests/hostile/cases.json $(wildcard testkit/src/hostile/*.rs)
	$(CARGO) run --quiet -p changegate-testkit -- hostile target/hostile

-include bindings/python/python.mk
-include bindings/node/node.mk
-include bindings/wasm/wasm.mk
-include benches/bench.mk
-include fuzz/fuzz.mk

# Front ends that are not built yet still have a test target, so `make test` runs what exists.
test-python test-node test-wasm::
	@true
