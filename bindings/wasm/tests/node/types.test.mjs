// The TypeScript declarations of both builds type-check, and describe the
// API precisely enough to reject misuse (tests/types/usage.ts).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(here, "..", "..");

test("tsc --noEmit accepts the declarations and their use", () => {
  const tsc = join(wasmDir, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(wasmDir, "tests", "types", "tsconfig.json")], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
