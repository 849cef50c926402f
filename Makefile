# changegate: the two commands a newcomer needs are `make demo` and `make test`.
# Each front end keeps its own targets in bindings/<name>/<name>.mk.

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
ROOT := $(abspath .)
VENV := $(ROOT)/.venv
CLI := target/release/changegate

.PHONY: help demo build generate test test-rust test-clean-tree clean

help:
	@echo "Set-up, for a newcomer:"
	@echo "  make demo         build the CLI and check the example change against the example policies"
	@echo "  make test         install what is missing, then run every suite (Rust, Python, Node, WASM, browser, editors, fuzz smoke)"
	@echo "Suites, each on its own:"
	@echo "  make test-rust    rustfmt, clippy and cargo test over the workspace (core, CLI, codegen, testkit, log), fmt --check, test and lint of policies/"
	@echo "  make test-python  the Python package: build the wheel, pytest, mypy"
	@echo "  make test-node    the Node package: build the addon, node --test, tsc"
	@echo "  make test-wasm    the WASM package: node tests and the playground in Chromium"
	@echo "  make test-editors the TextMate grammar on every policy, and the VS Code extension and its package"
	@echo "  make fuzz-smoke   each fuzz target for 30 s (fuzz/README.md)"
	@echo "Builds and tools:"
	@echo "  make build        the CLI, release (target/release/changegate)"
	@echo "  make generate     rewrite the files generated from the Rust types (schemas/, bindings/types/, Python shapes)"
	@echo "  make python       build and install the Python package into .venv"
	@echo "  make node         build the Node addon (bindings/node)"
	@echo "  make wasm         build the WASM package (bindings/wasm/pkg)"
	@echo "  make playground   serve the browser playground on localhost"
	@echo "  make vsix         package the VS Code extension (target/editors/changegate-VERSION.vsix)"
	@echo "  make log-postgres install PostgreSQL for the decision log's tests (when missing)"
	@echo "  make bench        run the benchmarks (benches/README.md)"
	@echo "  make fuzz         each fuzz target for 10 minutes"
	@echo "  make clean        remove build outputs and .venv"

build:
	$(CARGO) build --release -p changegate-cli

demo: build
	@echo "\$$ changegate check --policy policies/ --graph policies/estate.json --change policies/examples/demo/change.json"
	@$(CLI) check --policy policies/ --graph policies/estate.json --change policies/examples/demo/change.json --format text; \
	  code=$$?; echo; echo "(exit code $$code: 0 approved, 2 pending, 3 denied, 1 error)"; [ $$code -ne 1 ]

test: test-tree-before test-rust test-python test-node test-wasm test-editors fuzz-smoke
	@$(MAKE) --no-print-directory test-clean-tree
	@echo "all suites passed"

generate:
	$(CARGO) run --quiet -p changegate-codegen

# `make test` must leave the work tree as it found it: a suite that rewrites
# a tracked file (a lock file, a generated file) fails here.
TREE_BEFORE := target/tree-before-test.txt
.PHONY: test-tree-before
test-tree-before:
	@mkdir -p target
	@git status --porcelain > $(TREE_BEFORE) 2>/dev/null || true

test-clean-tree:
	@if [ -f $(TREE_BEFORE) ] && git rev-parse --git-dir >/dev/null 2>&1; then \
	  git status --porcelain > target/tree-after-test.txt; \
	  if ! diff -u $(TREE_BEFORE) target/tree-after-test.txt; then \
	    echo "make test changed the work tree (above): a suite rewrote or left a file it should not"; exit 1; fi; \
	fi

test-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --exclude changegate-benches --all-targets -- -D warnings
	$(CARGO) test --workspace --exclude changegate-benches
	$(CARGO) build --release -p changegate-cli
	$(CLI) fmt --check policies/
	$(CLI) test policies/
	$(CLI) lint --policy policies/


clean:
	$(CARGO) clean
	rm -rf $(VENV)

# The hostile-input list (core/tests/hostile/README.md), expanded into files
# for the Python, Node and WASM suites; the Rust suites expand it in process.
HOSTILE_INPUTS := target/hostile/manifest.json
$(HOSTILE_INPUTS): core/tests/hostile/cases.json $(wildcard testkit/src/hostile/*.rs)
	$(CARGO) run --quiet -p changegate-testkit -- hostile target/hostile

# Every front end's targets. A missing file is an error, never a suite
# silently skipped.
include bindings/python/python.mk
include bindings/node/node.mk
include bindings/wasm/wasm.mk
include benches/bench.mk
include fuzz/fuzz.mk
include editors/editors.mk
include log/log.mk
