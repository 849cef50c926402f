// The policy author's tools in the WebAssembly build: `formatPolicy` over
// the formatter's cases (core/tests/fmt) and `lint` against what
// `changegate lint` prints for the same files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, test } from "node:test";

import { library as libraryOf, repo } from "./cases.mjs";

const require = createRequire(import.meta.url);
const cg = require("../../pkg");
const fmtCases = join(repo, "core", "tests", "fmt");
const cli = join(repo, "target", "release", "changegate");

describe("formatPolicy", () => {
  for (const name of readdirSync(fmtCases).sort().filter((n) => statSync(join(fmtCases, n)).isDirectory())) {
    test(`fmt case ${name}`, () => {
      const dir = join(fmtCases, name);
      const input = readFileSync(join(dir, "input.gate"), "utf8");
      if (existsSync(join(dir, "error.json"))) {
        const expected = JSON.parse(readFileSync(join(dir, "error.json"), "utf8")).error;
        assert.throws(() => cg.formatPolicy(input, "input.gate"), (e) => {
          assert.ok(e instanceof cg.ChangegateError);
          assert.equal(e.kind, expected.kind);
          assert.deepEqual(e.diagnostics, expected.diagnostics);
          return true;
        });
        return;
      }
      const want = readFileSync(join(dir, "output.gate"), "utf8");
      assert.equal(cg.formatPolicy(input, "input.gate"), want);
      assert.equal(cg.formatPolicy(want), want);
    });
  }
  test("leaves the library as it is", () => {
    for (const [name, text] of Object.entries(libraryOf())) assert.equal(cg.formatPolicy(text, name), text, name);
  });
  test("a non-string text is a TypeError", () => {
    assert.throws(() => cg.formatPolicy(42), /string/);
  });
});

describe("lint", () => {
  test("the library passes its own lint; a broken policy throws its diagnostics", () => {
    assert.deepEqual(cg.lint(libraryOf()), []);
    assert.throws(() => cg.lint({ "b.gate": "rule a {\n" }), (e) => e.kind === "policy" && e.diagnostics[0].file === "b.gate");
  });
  test("finds what the command line finds", { skip: existsSync(cli) ? false : "target/release/changegate is not built" }, () => {
    const dir = "bindings/cli/tests/fixtures/lint";
    const names = readdirSync(join(repo, dir)).filter((n) => n.endsWith(".gate")).sort().map((n) => `${dir}/${n}`);
    const sources = Object.fromEntries(names.map((n) => [n, readFileSync(join(repo, n), "utf8")]));
    const found = cg.lint(sources);
    assert.ok(found.length > 0);
    let out;
    try {
      out = execFileSync(cli, ["lint", "--policy", ...names, "--at", "2026-12-01T00:00:00Z", "--format", "json"], { cwd: repo, encoding: "utf8" });
    } catch (e) {
      out = e.stdout;
    }
    const dated = new Set(["window-never-occurs", "window-ended"]);
    assert.deepEqual(found, JSON.parse(out).filter((f) => !dated.has(f.name)));
  });
});

// fixtures/lint/cases/README.md: each lint's `fires.gate` gives `fires.json`
// (with the case's graph and change), its `near-miss.gate` no finding.
describe("lint cases", () => {
  const casesDir = join(repo, "bindings", "cli", "tests", "fixtures", "lint", "cases");
  for (const name of readdirSync(casesDir).sort().filter((n) => statSync(join(casesDir, n)).isDirectory())) {
    test(name, () => {
      const read = (f) => readFileSync(join(casesDir, name, f), "utf8");
      const request = { at: "2026-12-01T00:00:00Z" };
      if (existsSync(join(casesDir, name, "graph.json"))) request.graph = JSON.parse(read("graph.json"));
      if (existsSync(join(casesDir, name, "change.json"))) request.changes = [JSON.parse(read("change.json"))];
      assert.deepEqual(cg.lint({ "fires.gate": read("fires.gate") }, request), JSON.parse(read("fires.json")));
      assert.deepEqual(cg.lint({ "near-miss.gate": read("near-miss.gate") }, request), []);
    });
  }
  test("a bad request names its path", () => {
    assert.throws(() => cg.lint({ "a.gate": "rule r { require approval \"x\" }" }, { nope: 1 }), (e) => e.document === "lint" && e.path === "nope");
  });
});
