// The shared corpus as core/tests/corpus/manifest.json lists it (see
// core/tests/corpus/README.md): each case with its policy sources named as
// the engine names them, relative to the case folder.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const roots = ["core/tests/corpus", "policies/examples"];

const manifest = JSON.parse(readFileSync(join(repo, "core", "tests", "corpus", "manifest.json"), "utf8"));

/** The manifest's entries for the cases below `root` (relative to the repository). */
export function casesIn(root) {
  return manifest.cases.filter((c) => c.dir.startsWith(`${root}/`));
}

/** Everything a test needs to run one case (a manifest entry). */
export function loadCase(entry) {
  const dir = join(repo, entry.dir);
  if (!entry.sources) throw new Error(`${entry.dir}: the manifest has no sources for it (its policy files cannot be read)`);
  const imports = entry.imports ?? {};
  if (Object.keys(imports).length > 0) return importedCase(entry, dir, imports);
  return {
    name: entry.dir,
    dir,
    sources: Object.fromEntries(entry.sources.map((name) => [name, readFileSync(join(dir, name), "utf8")])),
    graph: readFileSync(join(dir, entry.graph), "utf8"),
    change: readFileSync(join(dir, entry.change), "utf8"),
    expected: readFileSync(join(dir, entry.expected), "utf8"),
  };
}

/**
 * The shipped policy library as `--policy policies/` names it from the
 * repository: the sources of the demo example, whose policy is the whole
 * library (`../..`), named from the repository instead of the case folder.
 */
export function library() {
  const demo = manifest.cases.find((c) => c.dir === "policies/examples/demo");
  return Object.fromEntries(
    demo.sources.map((name) => {
      const path = posix.normalize(posix.join(demo.dir, name));
      return [path, readFileSync(join(repo, path), "utf8")];
    }),
  );
}

/**
 * A case whose graph, change or backups are other tools' records: each
 * import made by the module (`importTexts`, the files by the manifest's
 * names), as every front end's harness does.
 */
function importedCase(entry, dir, imports) {
  const cg = createRequire(import.meta.url)("../../pkg");
  const read = (name) => readFileSync(join(dir, name), "utf8");
  const imported = (what) => {
    const { adapter, files, options } = imports[what];
    const inputs = Object.fromEntries(Object.entries(files).map(([role, names]) => [role, Object.fromEntries(names.map((n) => [n, read(n)]))]));
    return cg.importTexts(adapter, inputs, options ?? undefined).document;
  };
  const graph = imports.graph ? JSON.stringify(imported("graph")) : read(entry.graph);
  let change = imports.change ? JSON.stringify(imported("change")) : read(entry.change);
  if (imports.backups) {
    const doc = JSON.parse(change);
    change = JSON.stringify({ ...doc, backups: [...(doc.backups ?? []), ...imported("backups")] });
  }
  return {
    name: entry.dir,
    dir,
    sources: Object.fromEntries(entry.sources.map((name) => [name, read(name)])),
    graph,
    change,
    expected: read(entry.expected),
  };
}
