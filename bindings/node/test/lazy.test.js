'use strict'
// Decisions are built field by field when read: what that must not change.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const util = require('node:util')
const v8 = require('node:v8')
const vm = require('node:vm')
const { Worker } = require('node:worker_threads')
const { Policy, Graph } = require('..')

const KEYS = ['change', 'outcome', 'approvals', 'backups', 'conditions', 'blocks', 'next_allowed_start', 'impact', 'overrides', 'fired', 'audit']
// Every field: the JSON's keys and `next_allowed_start_limit`, which the JSON has only when set.
const FIELDS = [...KEYS.slice(0, 7), 'next_allowed_start_limit', ...KEYS.slice(7)]
const GRAPH = JSON.stringify({ nodes: [{ id: 'db', tier: 0 }, { id: 'api', depends_on: ['db'] }, { id: 'web', depends_on: ['api'] }] })
const SOURCES = {
  'p.gate':
    'window freeze = between 2026-01-01T00:00 and 2026-01-02T00:00 in "UTC"\n' +
    'rule r {\n  when any(impacted, node.tier == 0)\n  require approval "cab"\n  deny during freeze\n  because "frozen"\n}\n',
}
const CHANGE = { id: 'C1', type: 'normal', targets: ['db'], start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' }

function setup() {
  return { policy: Policy.fromSources(SOURCES), graph: Graph.fromJson(GRAPH) }
}

test('a field read twice is the same value', () => {
  const { policy, graph } = setup()
  const d = policy.evaluate(CHANGE, graph)
  for (const k of FIELDS) assert.equal(d[k], d[k], k)
  assert.equal(d.impact.impacted, d.impact.impacted)
  assert.deepEqual(d.impact.impacted.map((n) => n.path), [['db'], ['db', 'api'], ['db', 'api', 'web']])
})

test('toJSON and JSON.stringify give the decision JSON, before and after reading fields', () => {
  const { policy, graph } = setup()
  const text = policy.evaluateJson(JSON.stringify(CHANGE), graph)
  const fresh = policy.evaluate(CHANGE, graph)
  assert.equal(JSON.stringify(fresh, null, 2) + '\n', text)
  const read = policy.evaluate(CHANGE, graph)
  for (const k of FIELDS) void read[k]
  assert.deepEqual(read.toJSON(), JSON.parse(text))
  assert.deepEqual(Object.keys(read.toJSON()), KEYS)
  assert.equal(JSON.stringify(read), JSON.stringify(JSON.parse(text)))
})

test('fields enumerate in the JSON order, can be assigned, and inspect shows them', () => {
  const { policy, graph } = setup()
  const d = policy.evaluate(CHANGE, graph)
  const seen = []
  for (const k in d) seen.push(k)
  assert.deepEqual(seen, FIELDS)
  assert.equal(d.next_allowed_start_limit, null)
  assert.deepEqual(Object.keys(d.toJSON()), KEYS)
  d.outcome = 'approved'
  d.approvals = []
  assert.equal(d.outcome, 'approved')
  assert.deepEqual(d.toJSON().approvals, [])
  const shown = util.inspect(policy.evaluate(CHANGE, graph), { depth: 4 })
  assert.match(shown, /outcome: 'denied'/)
  assert.match(shown, /next_allowed_start: '2026-01-02T00:00:00Z'/)
})

test('a decision outlives its policy and graph', async () => {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc')
  const decide = () => {
    const { policy, graph } = setup()
    return policy.evaluate(CHANGE, graph)
  }
  const d = decide()
  const later = await (() => {
    const { policy, graph } = setup()
    return policy.evaluateAsync(CHANGE, graph)
  })()
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.equal(d.outcome, 'denied')
  assert.deepEqual(d.impact.impacted.map((n) => n.id), ['db', 'api', 'web'])
  assert.deepEqual(later.toJSON(), d.toJSON())
})

test('decisions in a worker thread (each environment sets up its own)', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Policy, Graph } = require(workerData.pkg)
    const policy = Policy.fromSources(workerData.sources)
    const d = policy.evaluate(workerData.change, Graph.fromJson(workerData.graph))
    parentPort.postMessage({ outcome: d.outcome, json: JSON.stringify(d) })
  `
  const workerData = { pkg: path.resolve(__dirname, '..'), sources: SOURCES, change: CHANGE, graph: GRAPH }
  const runs = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  const { policy, graph } = setup()
  for (const r of runs) {
    assert.equal(r.outcome, 'denied')
    assert.equal(r.json, JSON.stringify(policy.evaluate(CHANGE, graph)))
  }
})

test('evaluateJson and evaluate keep every character: Latin-1, other BMP and astral text', () => {
  // An ASCII decision JSON becomes a one-byte string as its bytes are; any
  // other goes through UTF-8: both must give the same characters.
  const graph = Graph.fromJson(JSON.stringify({ nodes: [{ id: 'dé', tier: 0 }, { id: 'api€', depends_on: ['dé'] }] }))
  const policy = Policy.fromSources(SOURCES)
  const change = { ...CHANGE, id: 'C-ÿé€😀', targets: ['dé'], requested_by: 'zoë' }
  const text = policy.evaluateJson(JSON.stringify(change), graph)
  const parsed = JSON.parse(text)
  assert.equal(parsed.change, 'C-ÿé€😀')
  assert.deepEqual(parsed.impact.impacted.map((n) => n.id), ['dé', 'api€'])
  assert.equal(JSON.stringify(policy.evaluate(change, graph), null, 2) + '\n', text)
  const ascii = policy.evaluateJson(JSON.stringify(CHANGE), Graph.fromJson(GRAPH))
  assert.equal(JSON.parse(ascii).change, 'C1')
  assert.equal(ascii, JSON.stringify(policy.evaluate(CHANGE, Graph.fromJson(GRAPH)), null, 2) + '\n')
})

test('evaluate is a method of policies: another receiver throws, never crashes', () => {
  const { policy, graph } = setup()
  assert.equal(policy.evaluate.name, 'evaluate')
  assert.throws(() => Policy.prototype.evaluate.call({}, CHANGE, graph), Error)
  assert.throws(() => policy.evaluate(CHANGE, {}), Error)
})
