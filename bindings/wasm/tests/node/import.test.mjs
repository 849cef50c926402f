// Every adapter case of core/tests/import/manifest.json through the Node build
// of the .wasm: `importTexts`, with each file by the name the manifest gives it,
// returns expected.json's object or throws the ChangegateError of error.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";

import { repo } from "./cases.mjs";

const require = createRequire(import.meta.url);
const cg = require("../../pkg");

const cases = JSON.parse(readFileSync(join(repo, "core", "tests", "import", "manifest.json"), "utf8")).cases;

test("every adapter has cases", () => {
  for (const adapter of ["servicenow-change", "servicenow-cmdb", "backstage", "velero", "aws-backup"]) {
    assert.ok(cases.some((c) => c.adapter === adapter), adapter);
  }
});

for (const c of cases) {
  test(c.dir, () => {
    const dir = join(repo, c.dir);
    const expected = JSON.parse(readFileSync(join(dir, c.expected), "utf8"));
    const inputs = Object.fromEntries(
      Object.entries(c.files).map(([role, names]) => [role, Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), "utf8")]))]),
    );
    let got;
    try {
      got = cg.importTexts(c.adapter, inputs, c.options);
    } catch (err) {
      assert.ok(expected.error, `unexpected error ${err && err.stack}`);
      assert.equal(err.name, "ChangegateError");
      assert.deepStrictEqual(Object.fromEntries(Object.keys(expected.error).map((k) => [k, err[k]])), expected.error);
      return;
    }
    assert.ok(!expected.error, "expected an error");
    assert.deepStrictEqual(got, expected);
  });
}

test("an unknown adapter names the adapters", () => {
  assert.throws(() => cg.importTexts("jira", {}), (e) => e.kind === "input" && e.document === "import" && /backstage/.test(e.help));
});
