// After wasm-bindgen: writes pkg/package.json (the Node package) and copies
// the example estate from policies/ into the playground (examples/), with a
// manifest the page reads. Run from the repository root by `make wasm`.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, relative, sep } from "node:path";

const root = process.cwd();
const wasmDir = join(root, "bindings", "wasm");
const policies = join(root, "policies");
const out = join(wasmDir, "playground", "examples");

// The Node package.
const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)?.[1] ?? "0.0.0";
writeFileSync(
  join(wasmDir, "pkg", "package.json"),
  JSON.stringify(
    {
      name: "changegate-wasm",
      version,
      description: "changegate, the change-policy engine, as WebAssembly for Node",
      license: "Apache-2.0",
      main: "changegate.js",
      types: "changegate.d.ts",
      files: ["changegate.js", "changegate.d.ts", "changegate_bg.wasm", "changegate_bg.wasm.d.ts"],
    },
    null,
    2,
  ) + "\n",
);

// Every *.gate below policies/, sorted by path as the engine sorts a directory.
function gates(dir, below = []) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = [...below, entry.name];
    if (entry.isDirectory()) found.push(...gates(join(dir, entry.name), path));
    else if (entry.name.endsWith(".gate")) found.push(path);
  }
  return found;
}
const byPath = (a, b) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return Buffer.compare(Buffer.from(a[i]), Buffer.from(b[i]));
  }
  return a.length - b.length;
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const policy = gates(policies).sort(byPath).map((p) => p.join("/"));
for (const name of policy) {
  mkdirSync(join(out, "policies", ...name.split("/").slice(0, -1)), { recursive: true });
  cpSync(join(policies, ...name.split("/")), join(out, "policies", ...name.split("/")));
}
cpSync(join(policies, "estate.json"), join(out, "estate.json"));

// The example changes, the demo first.
const examples = [];
for (const name of readdirSync(join(policies, "examples")).sort()) {
  const dir = join(policies, "examples", name);
  if (!statSync(dir).isDirectory() || !existsSync(join(dir, "change.json"))) continue;
  let description = "";
  try {
    description = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")).description ?? "";
  } catch {
    // no case.json: no description
  }
  mkdirSync(join(out, "changes"), { recursive: true });
  cpSync(join(dir, "change.json"), join(out, "changes", `${name}.json`));
  examples.push({ name, description, file: `changes/${name}.json` });
}
examples.sort((a, b) => (a.name === "demo" ? -1 : b.name === "demo" ? 1 : a.name.localeCompare(b.name)));

writeFileSync(
  join(out, "manifest.json"),
  JSON.stringify({ policy, graph: "estate.json", changes: examples }, null, 2) + "\n",
);
console.log(
  `playground examples: ${policy.length} policy files, ${examples.length} changes -> ${relative(root, out).split(sep).join("/")}`,
);
