#!/usr/bin/env bash
# The decision service under load: `changegate serve` (release build) on the
# benchmark scenario (N = 10k, the fixed change on the deep target), driven
# by wrk (Debian's `wrk` package) over loopback, with the decision log off
# and then on (SQLite, durable, group commit). Prints wrk's summary of each:
# requests per second and the latency distribution (p50, p99).
#   benches/serve/load.sh [SECONDS] [CONNECTIONS]     (LOG=off|on: one run)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-20}
CONNECTIONS=${2:-16}
PORT=${PORT:-18181}
TARGET=${CARGO_TARGET_DIR:-target}
DATA=$TARGET/bench-data/serve
command -v wrk > /dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release -p changegate-cli -p changegate-benches --bin changegate --bin serve_inputs
"$TARGET/release/serve_inputs" "$DATA" 10000 > /dev/null
# One run: the service started with the given log flags, measured, stopped.
run() {
  local label=$1; shift
  "$TARGET/release/changegate" serve --policy "$DATA/policy.gate" --graph "$DATA/estate.json" \
    --listen "127.0.0.1:$PORT" --no-watch "$@" 2> "$DATA/serve.log" &
  server=$!
  until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.1; done
  decision=$(curl -s "http://127.0.0.1:$PORT/v1/evaluate" --data-binary @"$DATA/change.json")
  outcome=$(grep -m1 '"outcome"' <<< "$decision")
  echo "== $label: decision $outcome  (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  # Warm up, then measure.
  CHANGE="$DATA/change.json" wrk -t1 -c4 -d2s -s benches/serve/post.lua "http://127.0.0.1:$PORT/v1/evaluate" > /dev/null
  CHANGE="$DATA/change.json" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency \
    -s benches/serve/post.lua "http://127.0.0.1:$PORT/v1/evaluate"
  kill "$server"; wait "$server" || true
  server=
}
server=
trap 'if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; fi; rm -f "$DATA"/bench-log.sqlite*' EXIT
# LOG=off or LOG=on runs one of the two.
if [ "${LOG:-both}" != on ]; then run "log off" --no-log; fi
if [ "${LOG:-both}" != off ]; then
  # Every decision (22.6 KB) is stored: about 25 KB of log per request,
  # synced at each group commit. The file is removed afterwards.
  rm -f "$DATA"/bench-log.sqlite*
  run "log on (SQLite, durable, group commit)" --log "$DATA/bench-log.sqlite"
  echo "log: $(du -h "$DATA/bench-log.sqlite" | cut -f1), $("$TARGET/release/changegate" log verify --log "$DATA/bench-log.sqlite" --format json | grep -m1 '"records"')"
fi
