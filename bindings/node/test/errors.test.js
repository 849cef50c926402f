'use strict'
// Error objects: every failure is a `ChangegateError` with the fields of
// core's error report; nothing crashes or aborts the process.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')
const { Policy, Graph, impact, validate, ChangegateError } = require('..')

const graph = Graph.fromJson(
  JSON.stringify({
    nodes: [
      { id: 'db', tier: 0, owner: 'team-dba' },
      { id: 'api', owner: 'team-api', depends_on: ['db'] },
    ],
  }),
)
const policy = Policy.fromSources({ 'cab.gate': 'rule cab {\n  when any(targets, node.tier == 0)\n  require approval "cab"\n}\n' })
const change = {
  id: 'CHG1',
  type: 'normal',
  targets: ['db'],
  start: '2026-05-05T10:00:00Z',
  end: '2026-05-05T11:00:00Z',
}

/** Calls `fn`, which must throw; returns what it threw. */
function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  assert.fail('expected an error')
}

test('a policy that does not compile: `policy` with every diagnostic of every file', () => {
  const err = thrown(() =>
    Policy.fromSources({
      'a.gate': 'rule r {\n  when any(targets, node.tier == 0)\n  require approval "cab"\n  deny during freez\n}\n',
      'b.gate': 'window freeze = between 2026-12-20T00:00Z and 2027-01-04T00:00Z\ngarbage',
    }),
  )
  assert.ok(err instanceof ChangegateError && err instanceof Error)
  assert.equal(err.name, 'ChangegateError')
  assert.equal(err.kind, 'policy')
  assert.equal(err.message, '2 errors in the policy')
  assert.equal(err.document, null)
  assert.equal(err.path, null)
  assert.match(err.stack, /2 errors in the policy/)
  assert.equal(err.diagnostics.length, 2)
  const [first, second] = err.diagnostics
  assert.equal(first.file, 'a.gate')
  assert.equal(first.line, 4)
  assert.equal(first.column, 15)
  assert.equal(first.end_line, 4)
  assert.equal(first.end_column, 20)
  assert.match(first.message, /freez/)
  assert.match(first.help, /`freeze`/, 'a did-you-mean help')
  assert.deepEqual(Object.keys(second), ['file', 'line', 'column', 'end_line', 'end_column', 'message', 'help'])
  assert.equal(second.file, 'b.gate')
  assert.equal(second.help, null)
  // validate gives the same diagnostics without throwing.
  assert.deepEqual(validate({ 'a.gate': 'rule r { deny during freez }' }), [
    { file: 'a.gate', line: 1, column: 22, end_line: 1, end_column: 27, message: 'unknown window `freez`', help: null },
  ])
  assert.deepEqual(validate({ 'a.gate': 'rule r { deny "no" }' }), [])
})

test('a policy path that does not exist: `io` naming the path', () => {
  const missing = path.join(os.tmpdir(), 'changegate-no-such-dir', 'x.gate')
  const err = thrown(() => Policy.fromPath(missing))
  assert.equal(err.kind, 'io')
  assert.equal(err.path, missing)
  assert.equal(err.message, 'no such file or directory')
  assert.equal(typeof err.help, 'string')
})

test('a directory without .gate files: `io`', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-empty-'))
  try {
    const err = thrown(() => Policy.fromPath([dir]))
    assert.equal(err.kind, 'io')
    assert.equal(err.path, dir)
  } finally {
    fs.rmSync(dir, { recursive: true })
  }
})

test('a bad graph: `input` in the graph document, naming the field', () => {
  const err = thrown(() => Graph.fromJson(JSON.stringify({ nodes: [{ id: 'a' }, { id: 'b', tier: '1' }] })))
  assert.ok(err instanceof ChangegateError)
  assert.equal(err.kind, 'input')
  assert.equal(err.document, 'graph')
  assert.equal(err.path, 'nodes[1].tier')
  assert.deepEqual(err.diagnostics, [])
  assert.match(err.message, /integer/)
})

test('graph text that is not JSON: `input` with an empty path', () => {
  const err = thrown(() => Graph.fromJson('{"nodes": ['))
  assert.equal(err.kind, 'input')
  assert.equal(err.document, 'graph')
  assert.equal(err.path, '')
})

test('a graph file that does not exist: `io`', () => {
  const err = thrown(() => Graph.fromFile('no-such-graph.json'))
  assert.equal(err.kind, 'io')
  assert.equal(err.path, 'no-such-graph.json')
  assert.match(err.message, /no such file or directory/)
})

test('a bad change: `input` in the change document, from every evaluate flavour', async () => {
  const bad = { ...change, backups: [{ resource: 'db', taken_at: '2026-05-05T09:00:00Z', verifed: true }] }
  const expectFields = (err) => {
    assert.ok(err instanceof ChangegateError)
    assert.equal(err.kind, 'input')
    assert.equal(err.document, 'change')
    assert.equal(err.path, 'backups[0].verifed')
    assert.match(err.help, /verified/)
  }
  expectFields(thrown(() => policy.evaluate(bad, graph)))
  expectFields(thrown(() => policy.evaluateJson(JSON.stringify(bad), graph)))
  await assert.rejects(policy.evaluateAsync(bad, graph), (err) => {
    expectFields(err)
    return true
  })
})

test('an unknown target: `input` naming targets[i], with a did-you-mean', () => {
  const err = thrown(() => policy.evaluate({ ...change, targets: ['db', 'apl'] }, graph))
  assert.equal(err.kind, 'input')
  assert.equal(err.document, 'change')
  assert.equal(err.path, 'targets[1]')
  assert.match(err.help, /`api`/)
})

test('change JSON that does not parse: `input`', () => {
  const err = thrown(() => policy.evaluateJson('{"id": ', graph))
  assert.equal(err.kind, 'input')
  assert.equal(err.document, 'change')
})

test('a change that is no JSON value: `input`, not a crash', () => {
  for (const value of [undefined, () => 1, null]) {
    const err = thrown(() => policy.evaluate(value, graph))
    assert.equal(err.kind, 'input')
    assert.equal(err.document, 'change')
    assert.equal(err.path, '')
    assert.equal(err.message, 'expected an object, found `null`')
  }
  assert.equal(thrown(() => policy.evaluate('a string', graph)).kind, 'input')
})

test('a change JSON.stringify refuses (a cycle, a BigInt) throws its TypeError', () => {
  const cyclic = { ...change }
  cyclic.self = cyclic
  assert.throws(() => policy.evaluate(cyclic, graph), TypeError)
  assert.throws(() => policy.evaluate({ ...change, big: 1n }, graph), TypeError)
})

test('arguments of the wrong type throw, never crash', () => {
  assert.throws(() => Policy.fromPath(42), Error)
  assert.throws(() => Policy.fromSources({ 'a.gate': 42 }), Error)
  assert.throws(() => policy.evaluate(change, {}), Error)
  assert.throws(() => policy.evaluateJson(42, graph), Error)
  assert.throws(() => impact(graph, 'db'), Error)
})

test('impact: `input` for no targets and for an unknown target', () => {
  const none = thrown(() => impact(graph, []))
  assert.equal(none.kind, 'input')
  assert.equal(none.path, 'targets')
  const unknown = thrown(() => impact(graph, ['db', 'nope']))
  assert.equal(unknown.kind, 'input')
  assert.equal(unknown.path, 'targets[1]')
})

test('limits: on every compile and load, any of their keys; bad limits are `input` in `limits`', () => {
  const nodes = JSON.stringify({ nodes: [{ id: 'a' }, { id: 'b', depends_on: ['a'] }] })
  const over = thrown(() => Graph.fromJson(nodes, { max_graph_nodes: 1 }))
  assert.equal(over.kind, 'input')
  assert.equal(over.document, 'graph')
  assert.equal(Graph.fromJson(nodes, { max_graph_edges: 1 }).edgeCount, 1)
  assert.equal(thrown(() => Graph.fromJson(nodes, { max_graph_edges: 0 })).kind, 'input')
  const deep = { 'a.gate': 'rule r {\n  require ((((true)))) else "x"\n}\n' }
  assert.equal(thrown(() => Policy.fromSources(deep, { max_nesting: 3 })).kind, 'policy')
  assert.equal(validate(deep, { max_nesting: 3 }).length, 1)
  assert.equal(Policy.fromSources(deep, null).rules.length, 1)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-limits-'))
  try {
    fs.writeFileSync(path.join(dir, 'a.gate'), deep['a.gate'])
    fs.writeFileSync(path.join(dir, 'g.json'), nodes)
    assert.equal(thrown(() => Policy.fromPath(dir, { max_source_bytes: 10 })).kind, 'policy')
    assert.equal(thrown(() => Graph.fromFile(path.join(dir, 'g.json'), { max_graph_nodes: 1 })).kind, 'input')
  } finally {
    fs.rmSync(dir, { recursive: true })
  }
  for (const bad of [{ max_nodes: 1 }, { max_nesting: -1 }, { max_nesting: '3' }, 42]) {
    const err = thrown(() => Graph.fromJson(nodes, bad))
    assert.equal(err.kind, 'input', JSON.stringify(bad))
    assert.equal(err.document, 'limits')
    assert.match(err.help, /max_graph_nodes/)
  }
  // A policy's limits bound its evaluations too.
  const small = Policy.fromSources({ 'p.gate': 'rule r { deny "no" }' }, { max_input_bytes: 10 })
  assert.equal(thrown(() => small.evaluate(change, graph)).kind, 'input')
})

test('the process survives all of the above', () => {
  const decision = policy.evaluate(change, graph)
  assert.equal(decision.outcome, 'pending')
})
