// The README's Node example runs as written, from the repository root, with
// `changegate-wasm` linked to the Node build (pkg/).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import { repo } from "./cases.mjs";

const wasmDir = join(repo, "bindings", "wasm");
const blocks = [...readFileSync(join(wasmDir, "README.md"), "utf8").matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const [example] = blocks;

/** Runs `source` as CommonJS from the repository root, with `changegate-wasm` linked to pkg/. */
function runExample(source) {
  const dir = mkdtempSync(join(tmpdir(), "changegate-wasm-readme-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(wasmDir, "pkg"), join(dir, "node_modules", "changegate-wasm"), "dir");
    writeFileSync(join(dir, "example.cjs"), source);
    return spawnSync(process.execPath, [join(dir, "example.cjs")], { cwd: repo, encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true });
  }
}

test("the import example prints what its comment says", () => {
  const source = blocks.find((b) => b.includes("importTexts"));
  const run = runExample(source);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(source.includes(`// ${run.stdout.trim()}`), run.stdout);
});

test("the Node example prints the demo's decision and its JSON", () => {
  const dir = mkdtempSync(join(tmpdir(), "changegate-wasm-readme-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(wasmDir, "pkg"), join(dir, "node_modules", "changegate-wasm"), "dir");
    writeFileSync(join(dir, "example.cjs"), example);
    const run = spawnSync(process.execPath, [join(dir, "example.cjs")], { cwd: repo, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const [outcome, radius, diagnostic, ...json] = run.stdout.split("\n");
    assert.match(outcome, /^pending: waiting for cab, /);
    assert.match(radius, /^\d+ systems in the blast radius$/);
    assert.match(diagnostic, /freez/);
    assert.equal(JSON.parse(json.join("\n")).outcome, "pending");
    assert.ok(run.stdout.endsWith("}\n"));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
