'use strict'
// evaluateAsync: decisions off the main thread, on the libuv pool, many at a time.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Policy, Graph } = require('..')
const { corpusCases, inDir, expectedErrorFields, errorFields } = require('./helpers')

test('evaluateAsync returns a promise of the same decision evaluate gives', async () => {
  const graph = Graph.fromJson(JSON.stringify({ nodes: [{ id: 'db', tier: 0 }] }))
  const policy = Policy.fromSources({ 'p.gate': 'rule r {\n  when any(targets, node.tier == 0)\n  require approval "cab"\n}\n' })
  const change = { id: 'C', type: 'normal', targets: ['db'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
  const promise = policy.evaluateAsync(change, graph)
  assert.ok(promise instanceof Promise)
  const decision = await promise
  assert.deepEqual(decision.toJSON(), policy.evaluate(change, graph).toJSON())
  assert.equal(decision.outcome, 'pending')
})

test('the main thread keeps running while evaluateAsync decides', async () => {
  // A blast radius of 20,000 ownerless nodes, each an unmet owner condition
  // to write and merge: long enough (milliseconds, where the walk alone is
  // well under one) to watch the event loop.
  const nodes = [{ id: 'root', tier: 0 }]
  for (let i = 1; i < 20000; i++) nodes.push({ id: `n${i}`, depends_on: [i < 10 ? 'root' : `n${Math.floor(i / 10)}`] })
  const graph = Graph.fromJson(JSON.stringify({ nodes }))
  const policy = Policy.fromSources({ 'p.gate': 'rule big {\n  when count(impacted) > 10\n  require approval owner of impacted\n}\n' })
  const change = { id: 'C', type: 'normal', targets: ['root'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
  let ticks = 0
  const timer = setInterval(() => ticks++, 0)
  const pending = policy.evaluateAsync(change, graph)
  // Keep the main thread busy with JS only while the worker computes.
  const decision = await pending
  clearInterval(timer)
  assert.equal(decision.impact.impacted.length, 20000)
  assert.equal(decision.conditions.length, 20000)
  assert.ok(ticks > 0, 'timers ran while the decision was computed elsewhere')
})

test('200 concurrent evaluateAsync calls over corpus cases all give their expected decisions or errors', async () => {
  const loaded = []
  for (const c of corpusCases()) {
    const expected = JSON.parse(c.expected)
    // A repeated key is lost in an object (JSON.parse keeps the last), so
    // those cases are decided from text only (test/corpus.test.js).
    if (expected.error && expected.error.message.startsWith('duplicate key')) continue
    let change
    try {
      change = JSON.parse(c.change)
    } catch {
      continue
    }
    const setup = inDir(c.dir, () => {
      try {
        return { policy: Policy.fromPath(c.policy), graph: c.loadGraph() }
      } catch {
        return null
      }
    })
    if (setup) loaded.push({ ...setup, change, expected, name: c.name })
  }
  // Decisions and errors from evaluation (bad changes, unknown targets), mixed.
  const failing = loaded.filter((c) => c.expected.error).slice(0, 10)
  const deciding = loaded.filter((c) => !c.expected.error).slice(0, 30)
  assert.ok(failing.length >= 5 && deciding.length >= 20)
  const mix = [...deciding, ...failing]
  const calls = Array.from({ length: 200 }, (_, i) => mix[(i * 7) % mix.length])
  const results = await Promise.allSettled(calls.map((c) => c.policy.evaluateAsync(c.change, c.graph)))
  results.forEach((result, i) => {
    const c = calls[i]
    if (c.expected.error) {
      assert.equal(result.status, 'rejected', c.name)
      assert.ok(result.reason instanceof Error)
      assert.deepEqual(errorFields(result.reason), expectedErrorFields(c.expected.error), c.name)
    } else {
      assert.equal(result.status, 'fulfilled', c.name)
      assert.deepEqual(result.value.toJSON(), c.expected, c.name)
    }
  })
})

test('one policy and graph shared by concurrent calls with different changes', async () => {
  const graph = Graph.fromJson(JSON.stringify({ nodes: [{ id: 'a' }, { id: 'b', depends_on: ['a'] }] }))
  const policy = Policy.fromSources({ 'p.gate': 'rule r {\n  when count(impacted) > 1\n  require approval "cab" count 2\n}\n' })
  const changes = Array.from({ length: 200 }, (_, i) => ({
    id: `C${i}`,
    type: 'normal',
    targets: [i % 2 ? 'a' : 'b'],
    start: '2026-01-01T00:00:00Z',
    end: '2026-01-01T01:00:00Z',
  }))
  const decisions = await Promise.all(changes.map((c) => policy.evaluateAsync(c, graph)))
  decisions.forEach((d, i) => {
    assert.equal(d.change, `C${i}`)
    assert.equal(d.outcome, i % 2 ? 'pending' : 'approved')
  })
})
