#!/usr/bin/env bash
# The stages of `make bench` (benches/bench.mk), each timed: build the
# benches (peers included), run the criterion benches, measure the graph's
# peak memory, time the Rust reference call and the binding scripts, then
# print the summary (also written to target/bench-results/summary.md).
# Expects the Python and Node bindings built (make python node).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-.venv/bin/python}
BENCH_ARGS=${BENCH_ARGS:-}
RESULTS=${CARGO_TARGET_DIR:-target}/bench-results
example() { "$CARGO" run --quiet --release -p changegate-benches --example "$@"; }
stage_start=$(date +%s)
stages=()
stage() {
  local now
  now=$(date +%s)
  stages+=("$1: $((now - stage_start)) s")
  echo "bench stage ${stages[-1]}"
  stage_start=$now
}

rm -rf "$RESULTS"
"$CARGO" bench -p changegate-benches --no-run
# The examples share the bench build's dependencies (same release settings).
"$CARGO" build --quiet --release -p changegate-benches --examples
stage "build (benches, peers, examples)"
# shellcheck disable=SC2086
"$CARGO" bench -p changegate-benches --benches -- $BENCH_ARGS
stage "criterion benches"
example graph_memory
stage "graph memory"
example rust_call
"$PYTHON" benches/bindings/python_overhead.py
node benches/bindings/node_overhead.js
# pkg/package.json is written last by `make wasm`: without it the build is
# missing or under way.
if [ -f bindings/wasm/pkg/package.json ]; then
  node benches/bindings/wasm_overhead.js || echo "wasm: the script failed (see above); skipped"
else
  echo "wasm: bindings/wasm/pkg is not built (make wasm); skipped"
fi
stage "binding scripts"
example summary
printf 'bench stage %s\n' "${stages[@]}"
