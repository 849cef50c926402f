'use strict'
// Error objects: every failure is an `Error` with a `code` and the fields of
// core's error JSON; nothing crashes or aborts the process.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const os = require('node:os')
const fs = require('node:fs')
const { Policy, Graph, impact } = require('..')

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

test('a policy that does not compile: POLICY with every diagnostic of every file', () => {
  const err = thrown(() =>
    Policy.fromSources({
      'a.gate': 'rule r {\n  when any(targets, node.tier == 0)\n  require approval "cab"\n  deny during freez\n}\n',
      'b.gate': 'window freeze = between 2026-12-20T00:00Z and 2027-01-04T00:00Z\ngarbage',
    }),
  )
  assert.ok(err instanceof Error)
  assert.equal(err.code, 'POLICY')
  assert.equal(err.message, '2 errors in the policy')
  assert.match(err.stack, /2 errors in the policy/)
  assert.equal(err.diagnostics.length, 2)
  const [first, second] = err.diagnostics
  assert.equal(first.file, 'a.gate')
  assert.equal(first.line, 4)
  assert.equal(first.column, 15)
  assert.equal(first.endLine, 4)
  assert.equal(first.endColumn, 20)
  assert.match(first.message, /freez/)
  assert.match(first.help, /`freeze`/, 'a did-you-mean help')
  assert.deepEqual(Object.keys(second).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message'])
  assert.equal(second.file, 'b.gate')
  assert.equal(second.help, undefined)
})

test('a policy path that does not exist: IO naming the path', () => {
  const missing = path.join(os.tmpdir(), 'changegate-no-such-dir', 'x.gate')
  const err = thrown(() => Policy.fromPath(missing))
  assert.equal(err.code, 'IO')
  assert.equal(err.path, missing)
  assert.equal(err.message, 'no such file or directory')
  assert.equal(typeof err.help, 'string')
})

test('a directory without .gate files: IO', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-empty-'))
  try {
    const err = thrown(() => Policy.fromPath([dir]))
    assert.equal(err.code, 'IO')
    assert.equal(err.path, dir)
  } finally {
    fs.rmSync(dir, { recursive: true })
  }
})

test('a bad graph: INPUT in the graph document, naming the field', () => {
  const err = thrown(() => Graph.fromJson(JSON.stringify({ nodes: [{ id: 'a' }, { id: 'b', tier: '1' }] })))
  assert.ok(err instanceof Error)
  assert.equal(err.code, 'INPUT')
  assert.equal(err.document, 'graph')
  assert.equal(err.path, 'nodes[1].tier')
  assert.match(err.message, /integer/)
})

test('graph text that is not JSON: INPUT with an empty path', () => {
  const err = thrown(() => Graph.fromJson('{"nodes": ['))
  assert.equal(err.code, 'INPUT')
  assert.equal(err.document, 'graph')
  assert.equal(err.path, '')
})

test('a graph file that does not exist: IO', () => {
  const err = thrown(() => Graph.fromFile('no-such-graph.json'))
  assert.equal(err.code, 'IO')
  assert.equal(err.path, 'no-such-graph.json')
  assert.match(err.message, /no such file or directory/)
})

test('a bad change: INPUT in the change document, from every evaluate flavour', async () => {
  const bad = { ...change, backups: [{ resource: 'db', taken_at: '2026-05-05T09:00:00Z', verifed: true }] }
  const expectFields = (err) => {
    assert.ok(err instanceof Error)
    assert.equal(err.code, 'INPUT')
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

test('an unknown target: INPUT naming targets[i], with a did-you-mean', () => {
  const err = thrown(() => policy.evaluate({ ...change, targets: ['db', 'apl'] }, graph))
  assert.equal(err.code, 'INPUT')
  assert.equal(err.document, 'change')
  assert.equal(err.path, 'targets[1]')
  assert.match(err.help, /`api`/)
})

test('change JSON that does not parse: INPUT', () => {
  const err = thrown(() => policy.evaluateJson('{"id": ', graph))
  assert.equal(err.code, 'INPUT')
  assert.equal(err.document, 'change')
})

test('a change that is no JSON value: INPUT, not a crash', () => {
  for (const value of [undefined, () => 1]) {
    const err = thrown(() => policy.evaluate(value, graph))
    assert.equal(err.code, 'INPUT')
    assert.equal(err.document, 'change')
    assert.equal(err.path, '')
  }
  assert.equal(thrown(() => policy.evaluate('a string', graph)).code, 'INPUT')
  assert.equal(thrown(() => policy.evaluate(null, graph)).code, 'INPUT')
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

test('impact: INPUT for no targets and for an unknown target', () => {
  const none = thrown(() => impact(graph, []))
  assert.equal(none.code, 'INPUT')
  assert.equal(none.path, 'targets')
  const unknown = thrown(() => impact(graph, ['db', 'nope']))
  assert.equal(unknown.code, 'INPUT')
  assert.equal(unknown.path, 'targets[1]')
})

test('the process survives all of the above', () => {
  const decision = policy.evaluate(change, graph)
  assert.equal(decision.outcome, 'pending')
})
