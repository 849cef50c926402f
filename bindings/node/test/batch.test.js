'use strict'
// evaluateMany and evaluateManyAsync: a batch decided on several threads,
// in order, each change as evaluate decides it alone.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Policy, Graph, ChangegateError } = require('..')

const graph = Graph.fromJson(JSON.stringify({
  nodes: [{ id: 'db', tier: 0, owner: 'dba' }, { id: 'api', tier: 1, depends_on: ['db'] }, { id: 'web', tier: 2, depends_on: ['api'] }]
}))
const policy = Policy.fromSources({
  'p.gate': 'rule r {\n  when any(targets, node.tier == 0)\n  require approval "cab"\n}\n' +
    'rule e {\n  when change.type == "emergency"\n  require approval "sre-lead"\n}\n'
})
const kinds = ['normal', 'emergency', 'standard']
const targets = [['db'], ['api'], ['web'], ['db', 'web']]
// Enough changes that both threads claim several.
const batch = Array.from({ length: 60 }, (_, i) => ({
  id: `C${i}`, type: kinds[i % 3], targets: targets[i % 4], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z'
}))
const alone = batch.map(c => policy.evaluate(c, graph).toJSON())
const bad = { ...batch[0], targets: ['nope'] }

test('evaluateMany gives, in order, the decisions evaluate gives one at a time, on 1, 2 or all threads', () => {
  for (const threads of [1, 2, 0, undefined]) {
    const decisions = policy.evaluateMany(batch, graph, threads)
    assert.ok(Array.isArray(decisions))
    assert.deepEqual(decisions.map(d => d.toJSON()), alone)
  }
  assert.deepEqual(policy.evaluateMany([], graph), [])
})

test('evaluateMany throws the first failing change\'s error with its index', () => {
  for (const threads of [1, 2, 0]) {
    assert.throws(() => policy.evaluateMany([...batch.slice(0, 40), bad, ...batch.slice(40), bad], graph, threads), e => {
      assert.ok(e instanceof ChangegateError)
      assert.equal(e.kind, 'input')
      assert.equal(e.path, 'targets[0]')
      assert.equal(e.index, 40)
      return true
    })
  }
})

test('evaluateManyAsync resolves to the same decisions and rejects with the same error', async () => {
  const promise = policy.evaluateManyAsync(batch, graph, 2)
  assert.ok(promise instanceof Promise)
  assert.deepEqual((await promise).map(d => d.toJSON()), alone)
  assert.deepEqual((await policy.evaluateManyAsync(batch, graph)).map(d => d.toJSON()), alone)
  await assert.rejects(policy.evaluateManyAsync([batch[0], bad], graph), e => {
    assert.ok(e instanceof ChangegateError)
    assert.equal(e.index, 1)
    assert.equal(e.path, 'targets[0]')
    return true
  })
})
