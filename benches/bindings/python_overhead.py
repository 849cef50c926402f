#!/usr/bin/env python3
"""Per-call overhead of the Python binding on the scenario's fixed decision.

On the N = 10k estate with the deep target (the scenario's fixed change, a
22.6 KB decision JSON) and with a leaf target (a tiny decision, where the
binding's own cost stands out from the engine's), each binding call is
timed and compared with the Rust call that does the same work, as timed by
``examples/rust_call.rs`` (which also writes the fixtures read here):

==============================  ==========================================
Python call                      compared with (``rust_call.json`` key)
==============================  ==========================================
``evaluate(text)``               ``Change::from_json`` + ``Policy::evaluate``
                                 (``evaluate_us``): both return a decision
                                 whose parts are read later
``evaluate(dict)``               the same (the dict is read into core's JSON
                                 value natively, in place of parsing text)
``evaluate_many`` (100 dicts),   the same, per change
per change
``evaluate(text).to_json()``     ``Policy::evaluate_json`` (``evaluate_json_us``)
native ``evaluate_json``         ``Policy::evaluate_json``
==============================  ==========================================

Decisions are lazy: ``evaluate`` returns before any field is turned into
Python objects. What reading costs is timed too, with no Rust counterpart:
``evaluate(dict)`` and reading ``outcome`` and ``approvals`` (the usual
check), and ``evaluate(text)`` and reading every field, the impact's nodes
and paths included.

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

FIELDS = [
    "change",
    "outcome",
    "approvals",
    "backups",
    "conditions",
    "blocks",
    "next_allowed_start",
    "overrides",
    "fired",
    "audit",
]


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
    # Policy and Graph are the native classes: evaluate_json is the FFI call alone.
    native, native_graph = policy, graph
    assert policy.evaluate(text, graph).to_json() == native.evaluate_json(text, native_graph)

    def usual():
        d = policy.evaluate(change, graph)
        return d.outcome, d.approvals

    def everything():
        d = policy.evaluate(text, graph)
        return [getattr(d, f) for f in FIELDS] + [d.impact.targets, d.impact.impacted]

    batch = [change] * 100
    return {
        f"evaluate_text{suffix}_us": median_per_call_us(lambda: policy.evaluate(text, graph), 1000),
        f"evaluate{suffix}_us": median_per_call_us(lambda: policy.evaluate(change, graph), 1000),
        f"evaluate_many{suffix}_us": median_per_call_us(lambda: policy.evaluate_many(batch, graph), 10)
        / len(batch),
        f"evaluate_to_json{suffix}_us": median_per_call_us(lambda: policy.evaluate(text, graph).to_json(), 300),
        f"native_evaluate_json{suffix}_us": median_per_call_us(
            lambda: native.evaluate_json(text, native_graph), 1000
        ),
        f"evaluate_read_usual{suffix}_us": median_per_call_us(usual, 300),
        f"evaluate_read_all{suffix}_us": median_per_call_us(everything, 100),
    }


# Each figure and the Rust figure (key of rust_call.json, without the
# case's suffix) it is compared with; None: no Rust counterpart.
REFERENCE = {
    "evaluate_text": "evaluate",
    "evaluate": "evaluate",
    "evaluate_many": "evaluate",
    "evaluate_to_json": "evaluate_json",
    "native_evaluate_json": "evaluate_json",
    "evaluate_read_usual": None,
    "evaluate_read_all": None,
}


def main():
    policy = changegate.Policy.from_sources({"bench.gate": (DATA / "policy.gate").read_text()})
    graph = changegate.Graph.from_json((DATA / "estate_10000.json").read_text())
    rust = json.loads((RESULTS / "rust_call.json").read_text())
    # The bare cost of crossing into the extension: a getter that returns a
    # short string (the policy digest), no engine work.
    native = policy
    figures = {"crossing_us": median_per_call_us(lambda: native.digest, 10000)}
    print(f"python: a native getter (policy digest) costs {figures['crossing_us']:.3f} µs/call")
    for case, suffix in [("deep", ""), ("leaf", "_leaf")]:
        got = measure(policy, graph, suffix)
        figures.update(got)
        print(
            f"python, N=10000, {case} target; Rust Change::from_json + Policy::evaluate "
            f"{rust[f'evaluate{suffix}_us']:.2f} µs/call, Policy::evaluate_json "
            f"{rust[f'evaluate_json{suffix}_us']:.2f} µs/call"
        )
        for name, us in got.items():
            base = name[: -len(f"{suffix}_us")]
            ref = REFERENCE[base]
            if ref is None:
                print(f"  {base:<22} {us:8.2f} µs/call  (reads fields; no Rust counterpart)")
                continue
            r = rust[f"{ref}{suffix}_us"]
            print(f"  {base:<22} {us:8.2f} µs/call  ({us - r:+.2f} µs over Rust {ref}, {us / r:.2f}×)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "python.json").write_text(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
