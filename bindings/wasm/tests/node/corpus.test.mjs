// Every corpus case through the Node build of the .wasm: `evaluateJson`
// returns expected.json byte for byte, `evaluate` the same decision as an
// object, a failing case throws a ChangegateError whose fields are those of
// expected.json's error, and `validate` reports the same diagnostics.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";

import { casesIn, loadCase, roots } from "./cases.mjs";

const require = createRequire(import.meta.url);
const cg = require("../../pkg");

/** Runs a case the way every front end does: compile, load the graph, evaluate. */
function run(c) {
  const policy = cg.Policy.fromSources(c.sources);
  try {
    const graph = cg.Graph.fromJson(c.graph);
    try {
      return { json: policy.evaluateJson(c.change, graph), value: policy.evaluate(JSON.parse(c.change), graph).toJSON() };
    } finally {
      graph.free();
    }
  } finally {
    policy.free();
  }
}

/** The error's own fields, as the engine's error JSON has them. */
function fieldsOf(err, keys) {
  return Object.fromEntries(keys.map((k) => [k, err[k]]));
}

for (const root of roots) {
  const entries = casesIn(root);
  describe(`corpus ${root.split("/").slice(-2).join("/")}`, () => {
    test("has cases", () => assert.ok(entries.length > 0));
    for (const entry of entries) {
      const c = loadCase(entry);
      test(c.name, () => {
        const expected = JSON.parse(c.expected);
        if (expected.error) {
          const err = captured(() => run(c));
          assert.ok(err, "expected an error");
          assert.equal(err.name, "ChangegateError");
          assert.ok(err instanceof Error);
          assert.deepStrictEqual(fieldsOf(err, Object.keys(expected.error)), expected.error);
          const extra = Object.keys(err).filter((k) => !(k in expected.error) && err[k] !== null && err[k].length !== 0);
          assert.deepStrictEqual(extra, [], "fields beyond the error JSON's are null or empty");
          const diagnostics = cg.validate(c.sources);
          assert.deepStrictEqual(diagnostics, expected.error.kind === "policy" ? expected.error.diagnostics : []);
        } else {
          const { json, value } = run(c);
          assert.equal(json, c.expected, "evaluateJson differs from expected.json");
          assert.deepStrictEqual(value, expected, "evaluate differs from expected.json");
          assert.deepStrictEqual(cg.validate(c.sources), []);
        }
      });
    }
  });
}

function captured(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}
