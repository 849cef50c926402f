# The benchmarks (see benches/README.md), included by the top Makefile.
#   make bench  - builds the Python and Node bindings if needed, then
#                 benches/bench.sh: the criterion benches (evaluate, peers, batch,
#                 compile, graph, windows, import), memory of the 100k graph
#                 load, the binding overhead scripts (Python, Node, and WASM
#                 when bindings/wasm/pkg exists), and the summary table, also
#                 written to target/bench-results/summary.md.
# Criterion's own options go through BENCH_ARGS, e.g.
#   make bench BENCH_ARGS="--measurement-time 5"
# The peers (regorus, cedar-policy) are dev-dependencies of benches/ only.

BENCH_ARGS ?=

.PHONY: bench

bench:
	@start=$$(date +%s); \
	  $(MAKE) --no-print-directory python node || exit 1; \
	  echo "make bench: bindings ready after $$(( $$(date +%s) - start )) s"; \
	  CARGO="$(CARGO)" PYTHON="$(CGPY)" BENCH_ARGS="$(BENCH_ARGS)" benches/bench.sh || exit 1; \
	  echo "make bench: $$(( $$(date +%s) - start )) s in all"
