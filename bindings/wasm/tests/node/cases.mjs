// The shared corpus as the engine reads it: every folder holding a
// change.json below core/tests/corpus/ and policies/examples/ is a case
// (core/tests/corpus/README.md). Policy sources are named exactly as
// `changegate::load_sources_in` names them, relative to the case folder.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const roots = [join(repo, "core", "tests", "corpus"), join(repo, "policies", "examples")];

/** Every case folder below `root`, sorted. */
export function caseDirs(root) {
  const found = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === "change.json")) found.push(dir);
    for (const e of entries) if (e.isDirectory()) walk(join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

/** Paths compare component by component, bytewise, as Rust's `PathBuf` does. */
export function byPath(a, b) {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return Buffer.compare(Buffer.from(pa[i]), Buffer.from(pb[i]));
  }
  return pa.length - pb.length;
}

/** `display(path)`: `/` separators, one leading `./` dropped. */
function display(p) {
  return p.startsWith("./") ? p.slice(2) : p;
}

function gatesBelow(dir) {
  const out = [];
  const walk = (d, below) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = below ? `${below}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else if (e.name.endsWith(".gate")) out.push(rel);
    }
  };
  walk(dir, "");
  return out.sort(byPath);
}

/**
 * The policy sources of a case, as `{ name: text }` in the engine's order:
 * the `policy` entries of case.json (a directory: every `*.gate` below it,
 * sorted, named `<entry>/<path below>`), or else the `*.gate` files directly
 * in the folder, sorted by name.
 */
export function sourcesOf(dir, caseJson) {
  const sources = {};
  if (Array.isArray(caseJson.policy)) {
    for (const entry of caseJson.policy) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) {
        const base = entry.replace(/\/+$/, "");
        for (const below of gatesBelow(full)) {
          sources[display(base ? `${base}/${below}` : below)] = readFileSync(join(full, below), "utf8");
        }
      } else {
        sources[display(entry)] = readFileSync(full, "utf8");
      }
    }
  } else {
    const gates = readdirSync(dir)
      .filter((n) => n.endsWith(".gate") && statSync(join(dir, n)).isFile())
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of gates) sources[name] = readFileSync(join(dir, name), "utf8");
  }
  return sources;
}

/** Everything a test needs to run one case. */
export function loadCase(dir) {
  let caseJson = {};
  try {
    caseJson = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  return {
    name: relative(repo, dir).split(sep).join("/"),
    dir,
    sources: sourcesOf(dir, caseJson),
    graph: readFileSync(join(dir, caseJson.graph ?? "graph.json"), "utf8"),
    change: readFileSync(join(dir, "change.json"), "utf8"),
    expected: readFileSync(join(dir, "expected.json"), "utf8"),
  };
}
