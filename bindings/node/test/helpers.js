'use strict'
// Shared by the tests: the corpus cases (as core/tests/corpus/manifest.json
// lists them, see core/tests/corpus/README.md) and how a thrown error maps to
// core's `{"error": …}` JSON.
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..', '..')
const MANIFEST = path.join(ROOT, 'core', 'tests', 'corpus', 'manifest.json')

/**
 * Every case the manifest lists, with its inputs: `policy` as given to
 * `Policy.fromPath` (relative to `dir`), `sources` the files those stand
 * for, named as the engine names them (also relative to `dir`).
 */
function corpusCases() {
  const { Graph, importFiles } = require('..')
  return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')).cases.map((c) => {
    const dir = path.join(ROOT, c.dir)
    const imports = c.imports ?? {}
    // What an import of the case makes from other tools' records (from its folder).
    const imported = (what) => inDir(dir, () => importFiles(imports[what].adapter, imports[what].paths, imports[what].options ?? undefined).document)
    let change = imports.change ? JSON.stringify(imported('change')) : fs.readFileSync(path.join(dir, c.change), 'utf8')
    if (imports.backups) {
      const doc = JSON.parse(change)
      change = JSON.stringify({ ...doc, backups: [...(doc.backups ?? []), ...imported('backups')] })
    }
    return {
      dir,
      name: c.dir,
      policy: c.policy,
      sources: c.sources,
      graph: c.graph,
      imports: c.imports,
      /** The case's graph: its file (from the working directory, the case folder), or its import. */
      loadGraph: () => (imports.graph ? Graph.fromJson(JSON.stringify(imported('graph'))) : Graph.fromFile(c.graph)),
      change,
      expected: fs.readFileSync(path.join(dir, c.expected), 'utf8'),
    }
  })
}

/** Runs `fn` with the working directory set to `dir`, so policy names are relative to it. */
function inDir(dir, fn) {
  const before = process.cwd()
  process.chdir(dir)
  try {
    return fn()
  } finally {
    process.chdir(before)
  }
}

/** `{ name: text }` for `Policy.fromSources`: a case's `sources`, read. */
function loadSources(c) {
  return Object.fromEntries(c.sources.map((name) => [name, fs.readFileSync(path.join(c.dir, name), 'utf8')]))
}

/**
 * The fields a thrown error must carry for core's error JSON body
 * (`expected.error`): those of the body, and every other field of an error
 * report empty.
 */
function expectedErrorFields(body) {
  return { help: null, diagnostics: [], document: null, path: null, ...body }
}

/** The own enumerable fields of a thrown error, plus its message. */
function errorFields(err) {
  return { message: err.message, ...err }
}

module.exports = { ROOT, corpusCases, inDir, loadSources, expectedErrorFields, errorFields }
