'use strict'
// Shared by the tests: the corpus cases (every folder holding a change.json
// below core/tests/corpus/ and policies/examples/, see
// core/tests/corpus/README.md) and how a thrown error maps to core's
// `{"error": …}` JSON.
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..', '..')
const CORPUS_ROOTS = [path.join(ROOT, 'core', 'tests', 'corpus'), path.join(ROOT, 'policies', 'examples')]

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full, out)
    else if (entry.name === 'change.json') out.push(dir)
  }
  return out
}

/** Every case folder of both roots, sorted, with its inputs as the corpus harness reads them. */
function corpusCases() {
  const dirs = CORPUS_ROOTS.flatMap((root) => walk(root, [])).sort()
  return dirs.map((dir) => {
    const caseFile = path.join(dir, 'case.json')
    const spec = fs.existsSync(caseFile) ? JSON.parse(fs.readFileSync(caseFile, 'utf8')) : {}
    const policy = Array.isArray(spec.policy)
      ? spec.policy
      : fs.readdirSync(dir).filter((f) => f.endsWith('.gate')).sort()
    return {
      dir,
      name: path.relative(ROOT, dir),
      policy,
      graph: spec.graph ?? 'graph.json',
      change: fs.readFileSync(path.join(dir, 'change.json'), 'utf8'),
      expected: fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'),
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

/** Compares paths component by component, as Rust's `PathBuf` ordering does. */
function byComponents(a, b) {
  const x = a.split('/')
  const y = b.split('/')
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1
  }
  return x.length - y.length
}

function gatesBelow(dir, below, out) {
  for (const entry of fs.readdirSync(path.join(dir, below), { withFileTypes: true })) {
    const rel = below ? `${below}/${entry.name}` : entry.name
    if (entry.isDirectory()) gatesBelow(dir, rel, out)
    else if (entry.name.endsWith('.gate')) out.push(rel)
  }
  return out
}

/**
 * `{ name: text }` for `Policy.fromSources`, named as `Policy.fromPath` names
 * them: a file as given, a directory's `*.gate` files (sorted by path) as
 * `<entry>/<path below>`. Paths are relative to `base`.
 */
function loadSources(base, paths) {
  const sources = {}
  for (const given of paths) {
    const full = path.join(base, given)
    if (fs.statSync(full).isDirectory()) {
      for (const rel of gatesBelow(full, '', []).sort(byComponents)) {
        const name = (given.endsWith('/') ? given + rel : `${given}/${rel}`).replace(/^\.\//, '')
        sources[name] = fs.readFileSync(path.join(full, rel), 'utf8')
      }
    } else {
      sources[given] = fs.readFileSync(full, 'utf8')
    }
  }
  return sources
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
