// The package as an ES module: named and default imports by package name
// give the very classes that require() gives.
import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Policy, Graph, impact, validate, ChangegateError } from 'changegate'
import changegate from 'changegate'
import * as fromFile from '../index.mjs'

const require = createRequire(import.meta.url)

test('named, default and namespace imports are the CommonJS exports', () => {
  const cjs = require('changegate')
  assert.equal(Policy, cjs.Policy)
  assert.equal(Graph, cjs.Graph)
  assert.equal(impact, cjs.impact)
  assert.equal(validate, cjs.validate)
  assert.equal(ChangegateError, cjs.ChangegateError)
  assert.equal(changegate.Policy, Policy)
  assert.equal(fromFile.Policy, Policy)
  assert.equal(typeof Policy.fromPath, 'function')
})

test('an ES module can decide, sync and async', async () => {
  const graph = Graph.fromJson(JSON.stringify({ nodes: [{ id: 'db', tier: 0 }, { id: 'api', depends_on: ['db'] }] }))
  const policy = Policy.fromSources({ 'p.gate': 'rule r {\n  when any(impacted, node.tier == 0)\n  require approval "cab"\n}\n' })
  const change = { id: 'C', type: 'normal', targets: ['db'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
  assert.equal(policy.evaluate(change, graph).outcome, 'pending')
  assert.equal((await policy.evaluateAsync(change, graph)).outcome, 'pending')
  assert.deepEqual(impact(graph, ['db']).impacted.map((n) => n.id), ['db', 'api'])
  assert.throws(() => Graph.fromJson('{}'), ChangegateError)
})
