'use strict'
// Loading: require() from the repository root (as `make node` promises) and
// from CommonJS, and the package metadata.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fs = require('node:fs')
const { spawnSync } = require('node:child_process')
const { ROOT } = require('./helpers')

const PKG = path.resolve(__dirname, '..')

test('require("./bindings/node") works from the repository root', () => {
  const script = `
    const cg = require('./bindings/node')
    const policy = cg.Policy.fromPath('policies/')
    const graph = cg.Graph.fromFile('policies/estate.json')
    const change = require('./policies/examples/demo/change.json')
    process.stdout.write(policy.evaluate(change, graph).outcome)`
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  assert.equal(run.stdout, 'pending')
})

test('CommonJS exports: Policy, Graph, impact, validate, ChangegateError', () => {
  const cg = require('..')
  for (const name of ['Policy', 'Graph', 'impact', 'validate', 'ChangegateError']) assert.equal(typeof cg[name], 'function', name)
  assert.ok(Object.keys(cg).every((k) => !k.startsWith('__') || k.startsWith('__panicForTests')), 'only the test-only hidden exports')
  assert.equal(require('changegate'), cg)
})

test('package.json: version is Cargo\'s, entry points exist', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'))
  const workspace = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8')
  const cargoVersion = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(workspace)[1]
  assert.equal(pkg.version, cargoVersion)
  for (const file of [pkg.main, pkg.types, pkg.exports['.'].import, pkg.exports['.'].require, pkg.exports['.'].types]) {
    assert.ok(fs.existsSync(path.join(PKG, file)), file)
  }
  for (const file of pkg.files) assert.ok(fs.existsSync(path.join(PKG, file)), file)
})

test('policy and graph details', () => {
  const { Policy, Graph } = require('..')
  const policy = Policy.fromSources({
    'b.gate': 'window freeze = between 2026-12-20T00:00 and 2027-01-04T00:00 in "Europe/Paris"\nrule zeta { deny "no" }\n',
    'a.gate': 'window plain = between 2026-01-01T00:00 and 2026-01-02T00:00\nrule alpha { deny "no" }\n',
  })
  assert.deepEqual(policy.files, ['b.gate', 'a.gate'])
  assert.deepEqual(policy.rules, ['alpha', 'zeta'])
  assert.match(policy.digest, /^sha256:[0-9a-f]{64}$/)
  assert.equal(policy.windowTimeZone('freeze'), 'Europe/Paris')
  assert.equal(policy.windowTimeZone('plain'), 'UTC')
  assert.equal(policy.windowTimeZone('nowhere'), null)
  const graph = Graph.fromJson(
    JSON.stringify({
      nodes: [{ id: 'db', tier: 0, owner: 'dba', tags: ['pii'], attributes: { x: 1 } }, { id: 'api', depends_on: ['db'] }, { id: 'web' }],
      edges: [{ from: 'web', to: 'api' }, { from: 'web', to: 'db' }, { from: 'api', to: 'db' }],
    }),
  )
  assert.equal(graph.nodeCount, 3)
  assert.equal(graph.edgeCount, 3)
  assert.ok(graph.has('db') && !graph.has('nope'))
  assert.deepEqual(graph.nodes(), [
    { id: 'db', tier: 0, owner: 'dba', tags: ['pii'], depends_on: [] },
    { id: 'api', tags: [], depends_on: ['db'] },
    { id: 'web', tags: [], depends_on: ['api', 'db'] },
  ])
})
