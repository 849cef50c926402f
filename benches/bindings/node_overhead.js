#!/usr/bin/env node
// Per-call overhead of the Node binding on the scenario's fixed decision.
//
// On the N = 10k estate with the deep target (the scenario's fixed change, a
// 22.6 KB decision JSON) and a leaf target (a tiny decision, where the
// binding's own cost stands out), each binding call is timed and compared
// with the Rust call that does the same work, as timed by
// examples/rust_call.rs (which also writes the fixtures read here):
//
//   policy.evaluate(object)   vs Change::from_json + Policy::evaluate
//                             (rust_call.json `evaluate_us`): both return a
//                             decision whose fields are read later; the
//                             binding also runs JSON.stringify on the change
//   policy.evaluateJson(text) vs Policy::evaluate_json (`evaluate_json_us`):
//                             the same JSON text, plus making it a JS string
//
// With no Rust counterpart, it also times what reading costs (evaluate and
// read `outcome` and `approvals`; evaluate and JSON.stringify the whole
// decision), the floor under evaluateJson's overhead: making a JS string
// of the decision JSON's bytes (Buffer#toString('utf8') and ('latin1') on
// the same bytes, no engine work), and two parts of evaluate's: the
// change's JSON.stringify alone, and evaluate with the event loop turning
// every 100 calls. Node-API frees a decision's native memory only when the
// event loop runs the finalizers of the objects a collection found dead, so
// in a loop that never yields every decision stays allocated until it ends;
// the yielding figure is what a program that returns to the event loop
// pays.
//
// Method: the median of 31 batches, as the Rust side (the yielding figure:
// of 310 batches of 100, the loop turning between them, outside the
// timing). Prints µs per call and writes target/bench-results/node.json.
//
// Run by `make bench` after `make node`:  node benches/bindings/node_overhead.js
// Another build of the package (to set two builds side by side) as the
// argument:  node benches/bindings/node_overhead.js path/to/package
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const assert = require("node:assert");

const ROOT = path.resolve(__dirname, "..", "..");
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, "target");
const DATA = path.join(TARGET, "bench-data");
const RESULTS = path.join(TARGET, "bench-results");

function medianPerCallUs(fn, calls, batches = 31) {
  const per = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    per.push(Number(process.hrtime.bigint() - start) / calls / 1e3);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}

// medianPerCallUs, returning to the event loop before each batch (so that
// the finalizers of the decisions collected so far run, outside the timing).
async function medianPerCallYieldingUs(fn, calls, batches) {
  const per = [];
  for (let b = 0; b < batches; b++) {
    await new Promise((resolve) => setImmediate(resolve));
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    per.push(Number(process.hrtime.bigint() - start) / calls / 1e3);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}

const CALLS = 1000;

// Each figure and the Rust figure (key of rust_call.json, without the
// case's suffix) it is compared with; null: no Rust counterpart.
const REFERENCE = {
  evaluate: "evaluate",
  evaluate_json: "evaluate_json",
  evaluate_yielding: "evaluate",
  stringify_change: null,
  evaluate_read_usual: null,
  evaluate_stringify: null,
  string_from_utf8: null,
  string_from_latin1: null,
};

async function main() {
  const pkg = path.resolve(process.argv[2] || path.join(ROOT, "bindings", "node"));
  const { Policy, Graph } = require(pkg);
  const policy = Policy.fromSources({ "bench.gate": fs.readFileSync(path.join(DATA, "policy.gate"), "utf8") });
  const graph = Graph.fromJson(fs.readFileSync(path.join(DATA, "estate_10000.json"), "utf8"));
  const rust = JSON.parse(fs.readFileSync(path.join(RESULTS, "rust_call.json"), "utf8"));
  // The bare cost of crossing into the addon: a getter that returns a short
  // string (the policy digest), no engine work.
  const figures = { crossing_us: medianPerCallUs(() => policy.digest, 10000) };
  console.log(`node: a native getter (policy digest) costs ${figures.crossing_us.toFixed(3)} µs/call`);
  for (const [kase, suffix] of [["deep", ""], ["leaf", "_leaf"]]) {
    const text = fs.readFileSync(path.join(DATA, `change${suffix}.json`), "utf8");
    const change = JSON.parse(text);
    const json = policy.evaluateJson(text, graph);
    const d = JSON.parse(json);
    const unmet = d.approvals.filter((a) => !a.satisfied).map((a) => a.group).sort();
    const expected = suffix === "" ? ["cab", "security", "sre-lead"] : ["cab", "security"];
    assert.deepStrictEqual([d.outcome, unmet], ["denied", expected]);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(policy.evaluate(change, graph))), d);
    const bytes = Buffer.from(json, "utf8");

    const got = {
      [`evaluate${suffix}_us`]: medianPerCallUs(() => policy.evaluate(change, graph), CALLS),
      [`evaluate_json${suffix}_us`]: medianPerCallUs(() => policy.evaluateJson(text, graph), CALLS),
      [`evaluate_yielding${suffix}_us`]: await medianPerCallYieldingUs(() => policy.evaluate(change, graph), 100, 310),
      [`stringify_change${suffix}_us`]: medianPerCallUs(() => JSON.stringify(change), CALLS),
      [`evaluate_read_usual${suffix}_us`]: medianPerCallUs(() => {
        const x = policy.evaluate(change, graph);
        return [x.outcome, x.approvals];
      }, CALLS),
      [`evaluate_stringify${suffix}_us`]: medianPerCallUs(() => JSON.stringify(policy.evaluate(change, graph)), 300),
      [`string_from_utf8${suffix}_us`]: medianPerCallUs(() => bytes.toString("utf8"), CALLS),
      [`string_from_latin1${suffix}_us`]: medianPerCallUs(() => bytes.toString("latin1"), CALLS),
    };
    Object.assign(figures, got);
    figures[`decision_json_bytes${suffix}`] = bytes.length;
    console.log(
      `node ${process.version} (${path.relative(ROOT, pkg) || "."}), N=10000, ${kase} target (decision JSON ${bytes.length} bytes); Rust ` +
        `Change::from_json + Policy::evaluate ${rust[`evaluate${suffix}_us`].toFixed(2)} µs/call, ` +
        `Policy::evaluate_json ${rust[`evaluate_json${suffix}_us`].toFixed(2)} µs/call`,
    );
    for (const [name, us] of Object.entries(got)) {
      const base = name.slice(0, -`${suffix}_us`.length);
      const ref = REFERENCE[base];
      if (ref === null) {
        console.log(`  ${base.padEnd(22)} ${us.toFixed(2).padStart(8)} µs/call  (no Rust counterpart)`);
        continue;
      }
      const r = rust[`${ref}${suffix}_us`];
      const over = us - r;
      console.log(
        `  ${base.padEnd(22)} ${us.toFixed(2).padStart(8)} µs/call  (${over >= 0 ? "+" : ""}${over.toFixed(2)} µs over Rust ${ref}, ${(us / r).toFixed(2)}×)`,
      );
    }
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, "node.json"), JSON.stringify(figures));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
