// After wasm-bindgen, run from the repository root by `make wasm`:
//   postbuild.mjs package   writes pkg/package.json (the Node package) and
//                           makes the JS snippets modules (see snippetModules)
//   postbuild.mjs examples  copies the example estate from policies/ into
//                           the playground (examples/), with the manifest
//                           the page reads
// With no argument it does both.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const root = process.cwd();
const wasmDir = join(root, "bindings", "wasm");
const policies = join(root, "policies");

function writePackageJson() {
  const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
  const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)?.[1] ?? "0.0.0";
  const pkg = {
    name: "changegate-wasm",
    version,
    description: "changegate, the change-policy engine, as WebAssembly for Node",
    license: "Apache-2.0",
    main: "changegate.js",
    types: "changegate.d.ts",
    files: ["changegate.js", "changegate.d.ts", "changegate_bg.wasm", "changegate_bg.wasm.d.ts", "snippets/"],
  };
  writeFileSync(join(wasmDir, "pkg", "package.json"), JSON.stringify(pkg, null, 2) + "\n");
}

/**
 * The JS files the module imports (bindings/types/error.js and decision.js)
 * are scripts, so that the Node addon can run them as such too;
 * wasm-bindgen copies them as they are into snippets/. Each gets an export of
 * its top-level classes and functions: CommonJS in the Node build, which
 * `require`s them, ES in the browser's.
 */
function snippetModules(pkg, esm) {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of walk(join(pkg, "snippets")).filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(file, "utf8");
    const names = [...text.matchAll(/^(?:class|function) (\w+)/gm)].map((m) => m[1]).join(", ");
    const line = esm ? `export { ${names} }\n` : `module.exports = { ${names} }\n`;
    if (!text.endsWith(line)) writeFileSync(file, `${text}\n${line}`);
  }
}

/** Every *.gate below `dir`, as path components. */
function gates(dir, below = []) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = [...below, entry.name];
    if (entry.isDirectory()) found.push(...gates(join(dir, entry.name), path));
    else if (entry.name.endsWith(".gate")) found.push(path);
  }
  return found;
}

/** Component by component, bytewise: the order in which the engine reads a directory. */
function byPath(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return Buffer.compare(Buffer.from(a[i]), Buffer.from(b[i]));
  }
  return a.length - b.length;
}

function bundleExamples() {
  const out = join(wasmDir, "playground", "examples");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "changes"), { recursive: true });

  const policy = gates(policies).sort(byPath);
  for (const parts of policy) {
    mkdirSync(join(out, "policies", ...parts.slice(0, -1)), { recursive: true });
    cpSync(join(policies, ...parts), join(out, "policies", ...parts));
  }
  cpSync(join(policies, "estate.json"), join(out, "estate.json"));

  // The example changes, the demo first.
  const changes = [];
  for (const name of readdirSync(join(policies, "examples")).sort()) {
    const dir = join(policies, "examples", name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, "change.json"))) continue;
    let description = "";
    if (existsSync(join(dir, "case.json"))) description = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")).description ?? "";
    cpSync(join(dir, "change.json"), join(out, "changes", `${name}.json`));
    changes.push({ name, description, file: `changes/${name}.json` });
  }
  changes.sort((a, b) => (a.name === "demo" ? -1 : b.name === "demo" ? 1 : a.name < b.name ? -1 : 1));

  const manifest = { policy: policy.map((p) => p.join("/")), graph: "estate.json", changes };
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const where = relative(root, out).split(sep).join("/");
  console.log(`playground examples: ${policy.length} policy files, ${changes.length} changes -> ${where}`);
}

const what = process.argv[2] ?? "all";
if (what === "package" || what === "all") {
  writePackageJson();
  snippetModules(join(wasmDir, "pkg"), false);
  snippetModules(join(wasmDir, "playground", "pkg"), true);
}
if (what === "examples" || what === "all") bundleExamples();
