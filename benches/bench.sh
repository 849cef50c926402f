#!/usr/bin/env bash
# The stages of `make bench` (benches/bench.mk), each timed: build the
# benches (peers included) and examples once, run the criterion benches,
# measure the graph's peak memory, time the Rust reference call and the
# binding scripts, then print the summary (also written to
# target/bench-results/summary.md). Every stage runs the binaries of the
# one build, so a source change during the run cannot mix two builds.
# Expects the Python and Node bindings built (make python node).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-.venv/bin/python}
BENCH_ARGS=${BENCH_ARGS:-}
TARGET=${CARGO_TARGET_DIR:-target}
RESULTS=$TARGET/bench-results
export CRITERION_HOME=$TARGET/criterion
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
# One build (bench profile) for the benches and the examples this script
# runs (not examples/profile, a perf helper); cargo's JSON messages name the
# executables.
declare -A exe
while IFS=$'\t' read -r name path; do exe[$name]=$path; done < <(
  "$CARGO" build --profile bench -p changegate-benches --benches \
    --example graph_memory --example rust_call --example summary \
    --message-format=json-render-diagnostics |
    "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        print(m["target"]["name"], m["executable"], sep="\t")
')
stage "build (benches, peers, examples)"
for b in evaluate peers batch compile graph windows import; do
  # shellcheck disable=SC2086
  "${exe[$b]}" --bench $BENCH_ARGS
done
stage "criterion benches"
"${exe[graph_memory]}"
stage "graph memory"
"${exe[rust_call]}"
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
"${exe[summary]}"
printf 'bench stage %s\n' "${stages[@]}"
