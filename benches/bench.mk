# Benchmarks of issue 6 (see benches/README.md), included by the top Makefile.
#   make bench  - the criterion benches (evaluate, peers, compile, graph,
#                 windows), peak memory of the 100k graph load, the binding
#                 overhead scripts (Python, Node, and WASM when
#                 bindings/wasm/pkg exists), then the summary table, also
#                 written to target/bench-results/summary.md.
# Criterion's own options go through BENCH_ARGS, e.g.
#   make bench BENCH_ARGS="--measurement-time 5"
# The peers (regorus, cedar-policy) are dev-dependencies of benches/ only.

BENCH_ARGS ?=
BENCH_RUN := $(CARGO) run --quiet --release -p changegate-benches --example
BENCH_RESULTS := target/bench-results

.PHONY: bench bench-criterion bench-bindings

bench:
	@start=$$(date +%s); \
	  $(MAKE) --no-print-directory bench-criterion bench-bindings || exit 1; \
	  $(BENCH_RUN) summary; \
	  echo "make bench: $$(( $$(date +%s) - start )) s in all"

bench-criterion:
	@rm -rf $(BENCH_RESULTS)
	$(CARGO) bench -p changegate-benches --benches -- $(BENCH_ARGS)
	$(BENCH_RUN) graph_memory

# The Rust side first: it writes the fixtures the scripts read.
bench-bindings: python node
	$(BENCH_RUN) rust_call
	$(CGPY) benches/bindings/python_overhead.py
	node benches/bindings/node_overhead.js
	@if [ -f bindings/wasm/pkg/changegate.js ]; then node benches/bindings/wasm_overhead.js; \
	  else echo "wasm: bindings/wasm/pkg is not built (make wasm); skipped"; fi
