#!/usr/bin/env node
// The WebAssembly package (bindings/wasm/pkg, built by `make wasm`) in Node
// on the scenario's fixed decision: `policy.evaluateJson(text)` and
// `policy.evaluate(object).toJSON()` (every field read) on the N = 10k estate with the deep target (the fixed change) and a leaf,
// against the native Rust call for the same decision (`Policy::evaluate_json`,
// timed by examples/rust_call.rs, which also writes the fixtures read here).
// Target: within 3× of native. Prints µs per call and writes
// target/bench-results/wasm.json.
//
// Run by `make bench` when bindings/wasm/pkg exists:  node benches/bindings/wasm_overhead.js
// WASM_PKG=dir times another build of the package (e.g. to compare build
// settings) instead of bindings/wasm/pkg.
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

const CALLS = 200;

function main() {
  const pkg = process.env.WASM_PKG ? path.resolve(process.env.WASM_PKG) : path.join(ROOT, "bindings", "wasm", "pkg");
  const { Policy, Graph } = require(path.join(pkg, "changegate.js"));
  const policy = Policy.fromSources({ "bench.gate": fs.readFileSync(path.join(DATA, "policy.gate"), "utf8") });
  const graph = Graph.fromJson(fs.readFileSync(path.join(DATA, "estate_10000.json"), "utf8"));
  const rust = JSON.parse(fs.readFileSync(path.join(RESULTS, "rust_call.json"), "utf8"));
  // The bare cost of crossing into the addon: a getter that returns a short
  // string (the policy digest), no engine work.
  const figures = { crossing_us: medianPerCallUs(() => policy.digest, 10000) };
  console.log(`wasm: a native getter (policy digest) costs ${figures.crossing_us.toFixed(3)} µs/call`);
  for (const [kase, suffix] of [["deep", ""], ["leaf", "_leaf"]]) {
    const text = fs.readFileSync(path.join(DATA, `change${suffix}.json`), "utf8");
    const change = JSON.parse(text);
    const d = JSON.parse(policy.evaluateJson(text, graph));
    const unmet = d.approvals.filter((a) => !a.satisfied).map((a) => a.group).sort();
    const expected = suffix === "" ? ["cab", "security", "sre-lead"] : ["cab", "security"];
    assert.deepStrictEqual([d.outcome, unmet], ["denied", expected]);
    assert.deepStrictEqual(policy.evaluate(change, graph).toJSON(), d);

    const got = {
      [`evaluate_json${suffix}_us`]: medianPerCallUs(() => policy.evaluateJson(text, graph), CALLS),
      [`evaluate${suffix}_us`]: medianPerCallUs(() => policy.evaluate(change, graph).toJSON(), CALLS),
    };
    Object.assign(figures, got);
    const r = rust[`evaluate_json${suffix}_us`];
    console.log(`wasm in node ${process.version}, N=10000, ${kase} target; native Rust Policy::evaluate_json: ${r.toFixed(2)} µs/call`);
    for (const [name, us] of Object.entries(got)) {
      const over = us - r;
      console.log(`  ${name.slice(0, -3).padEnd(28)} ${us.toFixed(2).padStart(8)} µs/call  (${(us / r).toFixed(2)}× native, ${over >= 0 ? "+" : ""}${over.toFixed(2)} µs)`);
    }
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, "wasm.json"), JSON.stringify(figures));
}

main();
