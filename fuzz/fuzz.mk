# Fuzzing (fuzz/, cargo-fuzz on the nightly toolchain), included by the top
# Makefile.
#   make fuzz-smoke  - build every fuzz target once, seed the corpora
#                      (fuzz/seed.sh) and run each target for
#                      FUZZ_SECONDS (30) seconds; fails on any crash,
#                      timeout or out-of-memory. Part of `make test`.
#   make fuzz        - the same for FUZZ_SECONDS=600 per target
# Installs what is missing (the nightly toolchain, cargo-fuzz), once.
# See fuzz/README.md for the targets and what each checks.

FUZZ_TARGETS := parse fmt graph_load change_load compile_evaluate import_servicenow import_backstage import_backup
FUZZ_SECONDS ?= 30
# Generous per-input limits for a shared CI machine: a real hang takes far
# longer, and the long local runs use -timeout=1 (fuzz/README.md).
FUZZ_TIMEOUT ?= 5
FUZZ_RSS_MB ?= 2048
FUZZ_NIGHTLY ?= nightly

.PHONY: fuzz-smoke fuzz fuzz-tools

fuzz-tools:
	@rustup run $(FUZZ_NIGHTLY) rustc --version >/dev/null 2>&1 || { \
	  echo "installing the $(FUZZ_NIGHTLY) toolchain (cargo-fuzz needs it for the sanitizer)"; \
	  rustup toolchain install $(FUZZ_NIGHTLY) --profile minimal --no-self-update; }
	@$(CARGO) fuzz --version >/dev/null 2>&1 || { \
	  echo "installing cargo-fuzz; this takes a few minutes, once"; \
	  $(CARGO) install --quiet cargo-fuzz --locked; }

# One build for every target; each run below finds it up to date.
fuzz-smoke fuzz: fuzz-tools
	@fuzz/seed.sh
	@cd fuzz && $(CARGO) +$(FUZZ_NIGHTLY) fuzz build
	@set -e; cd fuzz; for t in $(FUZZ_TARGETS); do \
	  dict=-dict=gate.dict; extra=; \
	  [ $$t != compile_evaluate ] || { dict=; extra="-len_control=0 -max_len=4096"; }; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
	  $(CARGO) +$(FUZZ_NIGHTLY) fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=$(FUZZ_RSS_MB) $$dict $$extra \
	    -print_final_stats=1 > target/fuzz-$$t.log 2>&1 \
	    || { tail -n 60 target/fuzz-$$t.log; echo "fuzz target $$t failed: see fuzz/artifacts/$$t/ and fuzz/README.md"; exit 1; }; \
	  grep -h '^stat::number_of_executed_units' target/fuzz-$$t.log | sed "s/^stat::number_of_executed_units: */  $$t: /; s/$$/ inputs, no finding/"; \
	done

fuzz: FUZZ_SECONDS = 600
