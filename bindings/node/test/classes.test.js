'use strict'
// Node-API gives a native method whatever object is passed for a class
// parameter or as `this`: a Policy where a Graph belongs (and the reverse)
// must be refused with an error, never read as the other class (which
// crashed the process).
const test = require('node:test')
const assert = require('node:assert/strict')
const { Policy, Graph, impact } = require('..')

const policy = Policy.fromSources({ 'p.gate': 'rule r { require approval "cab" }' })
const graph = Graph.fromJson(JSON.stringify({ nodes: [{ id: 'a' }] }))
const change = { id: 'C1', type: 'normal', targets: ['a'], start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' }
const wrong = (klass, other) => ({ code: 'InvalidArg', message: `expected a ${klass}, found a ${other}` })

test('a Policy given as the graph is refused by every method that takes one', async () => {
  assert.throws(() => policy.evaluate(change, policy), wrong('Graph', 'Policy'))
  assert.throws(() => policy.evaluateJson(JSON.stringify(change), policy), wrong('Graph', 'Policy'))
  assert.throws(() => policy.evaluateMany([change], policy), wrong('Graph', 'Policy'))
  assert.throws(() => policy.evaluateAsync(change, policy), wrong('Graph', 'Policy'))
  assert.throws(() => policy.evaluateManyAsync([change], policy), wrong('Graph', 'Policy'))
  assert.throws(() => impact(policy, ['a']), wrong('Graph', 'Policy'))
})

test('a method called on an object of the other class is refused', () => {
  // V8 refuses some of these calls itself (a method's receiver check); the
  // addon refuses the rest.
  const refused = (call, klass, other) =>
    assert.throws(call, (e) => e.message === 'Illegal invocation' || (e.code === 'InvalidArg' && e.message === `expected a ${klass}, found a ${other}`))
  const getter = (klass, name) => Object.getOwnPropertyDescriptor(klass.prototype, name).get
  refused(() => getter(Graph, 'nodeCount').call(policy), 'Graph', 'Policy')
  refused(() => Graph.prototype.has.call(policy, 'a'), 'Graph', 'Policy')
  refused(() => Graph.prototype.nodes.call(policy), 'Graph', 'Policy')
  refused(() => getter(Policy, 'digest').call(graph), 'Policy', 'Graph')
  refused(() => getter(Policy, 'rules').call(graph), 'Policy', 'Graph')
  refused(() => Policy.prototype.evaluate.call(graph, change, graph), 'Policy', 'Graph')
  refused(() => Policy.prototype.evaluateJson.call(graph, JSON.stringify(change), graph), 'Policy', 'Graph')
  refused(() => Policy.prototype.windowTimeZone.call(graph, 'w'), 'Policy', 'Graph')
})

test('objects of the right classes still decide after the refusals', () => {
  assert.equal(policy.evaluate(change, graph).outcome, 'pending')
  assert.equal(graph.nodeCount, 1)
})
