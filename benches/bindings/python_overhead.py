#!/usr/bin/env python3
"""Per-call overhead of the Python binding on the scenario's fixed decision.

Times ``policy.evaluate`` (a dict, and JSON text), ``policy.evaluate_many``
(100 changes per call, per change) and the native ``evaluate_json`` call
under them, on the N = 10k estate with the deep target (the scenario's
fixed change) and with a leaf target (a tiny decision, where the binding's
own cost stands out from the engine's), and compares each
with the Rust call for the same decision (``Policy::evaluate_json``, timed by
``examples/rust_call.rs``, which also writes the fixtures read here).
Method: the median of 31 batches, as the Rust side. Prints µs per call and
writes ``target/bench-results/python.json``.

Run by ``make bench`` after ``make python``:
    .venv/bin/python benches/bindings/python_overhead.py
"""

import json
import os
import sys
import time
from pathlib import Path

import changegate

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
DATA = TARGET / "bench-data"
RESULTS = TARGET / "bench-results"


def median_per_call_us(fn, calls, batches=31):
    per = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        per.append((time.perf_counter_ns() - start) / calls / 1e3)
    per.sort()
    return per[len(per) // 2]


def measure(policy, graph, suffix):
    text = (DATA / f"change{suffix}.json").read_text()
    change = json.loads(text)
    d = policy.evaluate(change, graph)
    unmet = sorted(a.group for a in d.approvals if not a.satisfied)
    expected = ["cab", "security", "sre-lead"] if suffix == "" else ["cab", "security"]
    assert d.outcome == "denied" and unmet == expected, (suffix, d.outcome, unmet)

    native, native_graph = policy._native, graph._native  # the FFI call alone
    batch = [change] * 100
    return {
        f"evaluate{suffix}_us": median_per_call_us(lambda: policy.evaluate(change, graph), 300),
        f"evaluate_text{suffix}_us": median_per_call_us(lambda: policy.evaluate(text, graph), 300),
        f"native_evaluate_json{suffix}_us": median_per_call_us(
            lambda: native.evaluate_json(text, native_graph), 1000
        ),
        f"evaluate_many{suffix}_us": median_per_call_us(lambda: policy.evaluate_many(batch, graph), 3)
        / len(batch),
    }


def main():
    policy = changegate.Policy.from_sources({"bench.gate": (DATA / "policy.gate").read_text()})
    graph = changegate.Graph.from_json((DATA / "estate_10000.json").read_text())
    rust = json.loads((RESULTS / "rust_call.json").read_text())
    # The bare cost of crossing into the extension: a getter that returns a
    # short string (the policy digest), no engine work.
    native = policy._native
    figures = {"crossing_us": median_per_call_us(lambda: native.digest, 10000)}
    print(f"python: a native getter (policy digest) costs {figures['crossing_us']:.3f} µs/call")
    for case, suffix in [("deep", ""), ("leaf", "_leaf")]:
        got = measure(policy, graph, suffix)
        figures.update(got)
        r = rust[f"evaluate_json{suffix}_us"]
        print(f"python, N=10000, {case} target; Rust Policy::evaluate_json: {r:.2f} µs/call")
        for name, us in got.items():
            print(f"  {name[:-3]:<28} {us:8.2f} µs/call  ({us - r:+.2f} µs over Rust, {us / r:.2f}×)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "python.json").write_text(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
