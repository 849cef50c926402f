// The hostile-input list (core/tests/hostile/cases.json, as
// changegate-testkit expands it into target/hostile/) through the Node build
// of the WebAssembly module: each case throws the documented
// ChangegateError (its kind and its place: the JSON path, or the diagnostic's
// file, line and column) or gives the documented decision, within the time
// limit, and the base change still evaluates after it. The module takes
// strings only: bytes that are not UTF-8 are decoded with U+FFFD (as
// TextDecoder does), and a lone surrogate reaches the engine as U+FFFD (as
// wasm-bindgen's TextEncoder converts it). Cases that lower `Limits` pass
// them to `Policy.fromSources` and `Graph.fromJson`.
//
// A panic on wasm32 (built with panic = "abort") cannot be caught inside the
// module: it is a trap, thrown to JavaScript as WebAssembly.RuntimeError. The
// last test shows that with the test-only `__panicForTests` export: the
// process survives, and a fresh instance of the module works.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const cg = require("../../pkg");
const { manifest, text, check, base } = require("../../../../core/tests/hostile/hostile.js");

/** A thrown ChangegateError as the body of core's error JSON. */
function body(err) {
  assert.ok(err instanceof Error && err.name === "ChangegateError", `not a ChangegateError: ${err?.stack ?? err}`);
  const { kind, message, document, path, help, diagnostics } = err;
  return { kind, message, document, path, help, diagnostics };
}

/** `{ decision }` or `{ error }` for case `c`, through `module`. */
function run(c, module = cg) {
  const owned = [];
  try {
    const sources = Object.fromEntries(c.policy.map((d) => [d.name, text(d)]));
    const policy = module.Policy.fromSources(sources, c.limits ?? undefined);
    owned.push(policy);
    const graph = module.Graph.fromJson(text(c.graph), c.limits ?? undefined);
    owned.push(graph);
    return { decision: JSON.parse(policy.evaluateJson(text(c.change), graph)) };
  } catch (err) {
    return { error: body(err) };
  } finally {
    // Free at once: the module's memory grows but never shrinks.
    for (const o of owned) o.free();
  }
}

for (const c of manifest.cases) {
  test(c.name, () => {
    const started = performance.now();
    const got = run(c);
    const took = (performance.now() - started) / 1000;
    check(c.expect.wasm, got);
    assert.ok(took < manifest.time_limit_seconds, `took ${took.toFixed(1)} s`);
    check(base.expect.wasm, run(base));
  });
}

test("a panic is a trap (WebAssembly.RuntimeError); the process survives and a fresh instance works", (t) => {
  assert.throws(() => cg.__panicForTests(), (err) => err instanceof WebAssembly.RuntimeError && /unreachable/.test(err.message));
  // The trapped instance may keep working (it does here), but nothing
  // guarantees it: a trap can leave a borrow flag or the allocator half
  // updated. Applications drop it, as the playground's worker does.
  try {
    check(base.expect.wasm, run(base));
    t.diagnostic("the trapped instance still evaluated the base change");
  } catch (err) {
    t.diagnostic(`the trapped instance no longer works: ${err.message}`);
  }
  const path = require.resolve("../../pkg");
  delete require.cache[path];
  const fresh = require("../../pkg");
  assert.notEqual(fresh, cg, "a new instance");
  check(base.expect.wasm, run(base, fresh));
});
