'use strict'
// The policy author's tools through the addon: `formatPolicy` over the
// formatter's cases (core/tests/fmt), `lint` and `runTests` against what
// `changegate lint` and `changegate test` print for the same inputs.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { formatPolicy, lint, runTests, ChangegateError } = require('..')
const { ROOT, inDir, errorFields, expectedErrorFields } = require('./helpers')

const FMT = path.join(ROOT, 'core', 'tests', 'fmt')
const CLI = path.join(ROOT, 'target', 'release', 'changegate')
const noCli = fs.existsSync(CLI) ? false : 'target/release/changegate is not built'

/** What the command line prints as JSON (stdout), whatever its exit code. */
function cliJson(...args) {
  try {
    return JSON.parse(execFileSync(CLI, [...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }))
  } catch (e) {
    if (typeof e.stdout === 'string' && e.stdout) return JSON.parse(e.stdout)
    throw e
  }
}

for (const name of fs.readdirSync(FMT).sort()) {
  const dir = path.join(FMT, name)
  if (!fs.statSync(dir).isDirectory()) continue
  test(`fmt case ${name}`, () => {
    const input = fs.readFileSync(path.join(dir, 'input.gate'), 'utf8')
    if (fs.existsSync(path.join(dir, 'error.json'))) {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'error.json'), 'utf8'))
      assert.throws(() => formatPolicy(input, 'input.gate'), (e) => {
        assert.ok(e instanceof ChangegateError)
        assert.deepEqual(errorFields(e), expectedErrorFields(expected.error))
        return true
      })
      return
    }
    const want = fs.readFileSync(path.join(dir, 'output.gate'), 'utf8')
    assert.equal(formatPolicy(input, 'input.gate'), want)
    assert.equal(formatPolicy(want), want)
  })
}

/** The library's `.gate` files, named from the repository root. */
function library() {
  const out = {}
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.gate')) out[path.relative(ROOT, p)] = fs.readFileSync(p, 'utf8')
    }
  }
  walk(path.join(ROOT, 'policies'))
  return out
}

test('formatPolicy leaves the library as it is, and it passes its own lint', () => {
  const files = library()
  assert.ok(Object.keys(files).length >= 3)
  for (const [name, text] of Object.entries(files)) assert.equal(formatPolicy(text, name), text, name)
  assert.deepEqual(lint(files), [])
})

test('lint finds what the command line finds', { skip: noCli }, () => {
  const dir = 'bindings/cli/tests/fixtures/lint'
  const names = fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith('.gate')).sort().map((n) => `${dir}/${n}`)
  const sources = Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(ROOT, n), 'utf8')]))
  const found = lint(sources)
  assert.ok(found.length > 0)
  // Only the command line looks from an instant (`--at`) for the window lints.
  const dated = new Set(['window-never-occurs', 'window-ended'])
  const cli = cliJson('lint', '--policy', ...names, '--at', '2026-12-01T00:00:00Z').filter((f) => !dated.has(f.name))
  assert.deepEqual(found, cli)
})

test('lint of a policy that does not compile throws its diagnostics', () => {
  assert.throws(() => lint({ 'broken.gate': 'rule a {\n' }), (e) => e.kind === 'policy' && e.diagnostics[0].file === 'broken.gate')
})

test('runTests reports what the command line reports', { skip: noCli }, () => {
  const report = inDir(ROOT, () => runTests('policies', { coverage: true }))
  assert.equal(report.summary.failed, 0)
  assert.ok(report.summary.passed > 0)
  assert.deepEqual(report, cliJson('test', 'policies', '--coverage'))
})

test('runTests shows a failing case as its difference, and filters', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-tests-'))
  fs.writeFileSync(path.join(dir, 'p.gate'), 'rule cab {\n  require approval "cab"\n}\n')
  fs.writeFileSync(path.join(dir, 'p.test.json'), JSON.stringify({
    graph: { nodes: [{ id: 'db' }] },
    base: { id: 'CHG1', type: 'normal', targets: ['db'], start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' },
    cases: [
      { name: 'needs cab', change: {}, expect: { outcome: 'approved' } },
      { name: 'other', change: {}, expect: { outcome: 'pending' } },
    ],
  }))
  const report = runTests([dir])
  const cases = report.files[0].cases
  assert.deepEqual(cases.map((c) => c.status), ['failed', 'passed'])
  assert.deepEqual(cases[0].mismatches, [{ path: 'outcome', expected: 'approved', actual: 'pending' }])
  assert.deepEqual(runTests(dir, { filter: 'other' }).files[0].cases.map((c) => c.name), ['other'])
  assert.throws(() => runTests(path.join(dir, 'missing')), (e) => e.kind === 'io')
  fs.rmSync(dir, { recursive: true })
})

// fixtures/lint/cases/README.md: each lint's `fires.gate` gives `fires.json`
// (with the case's graph and change), its `near-miss.gate` no finding.
const LINT_CASES = path.join(ROOT, 'bindings', 'cli', 'tests', 'fixtures', 'lint', 'cases')
for (const name of fs.readdirSync(LINT_CASES).sort()) {
  const dir = path.join(LINT_CASES, name)
  if (!fs.statSync(dir).isDirectory()) continue
  test(`lint case ${name}`, () => {
    const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8')
    const request = { at: '2026-12-01T00:00:00Z' }
    if (fs.existsSync(path.join(dir, 'graph.json'))) request.graph = JSON.parse(read('graph.json'))
    if (fs.existsSync(path.join(dir, 'change.json'))) request.changes = [JSON.parse(read('change.json'))]
    assert.deepEqual(lint({ 'fires.gate': read('fires.gate') }, request), JSON.parse(read('fires.json')))
    assert.deepEqual(lint({ 'near-miss.gate': read('near-miss.gate') }, request), [])
  })
}

test('lint takes a configuration, and a bad request names its path', () => {
  const source = { 'a.gate': 'let spare = targets\nrule r {\n  require approval "cab"\n}\n' }
  assert.deepEqual(lint(source, { config: { lint: { 'unused-let': 'error' } } }).map((f) => f.severity), ['error'])
  assert.deepEqual(lint(source, { config: { 'unused-let': 'off' } }), [])
  assert.throws(() => lint(source, { config: { 'unused-lets': 'off' } }), (e) =>
    e.kind === 'input' && e.document === 'lint' && e.path === 'config.unused-lets' && /unused-let`/.test(e.help))
  assert.throws(() => lint(source, { at: 'yesterday' }), (e) => e.document === 'lint' && e.path === 'at')
})
