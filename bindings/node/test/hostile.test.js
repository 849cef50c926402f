'use strict'
// The hostile-input list (core/tests/hostile/cases.json) through the Node
// addon: each case throws the documented error (its code and its place: the
// JSON path, the diagnostic's file, line and column, or the unreadable file)
// or gives the documented decision, within the time limit, and the base
// change still evaluates after it. Policies and graphs that are not UTF-8
// are read from files (`Policy.fromPath`, `Graph.fromFile`); every other
// input is a string (a change made of bytes is decoded with U+FFFD, and a
// lone surrogate reaches the engine as U+FFFD, as Node converts strings).
// Cases that lower `Limits` pass them to every load. Last, forced panics
// (test-only exports) become `internal` errors, not an abort.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const cg = require('..')
const hostile = require('../../../core/tests/hostile/hostile.js')

const { manifest, content, hasBytes, inputs, expectFor, check, base } = hostile
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-node-hostile-'))
test.after(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A thrown addon error: a ChangegateError has the fields of core's error report. */
function body(err) {
  assert.ok(err instanceof cg.ChangegateError, `not a ChangegateError: ${err && err.stack}`)
  return err
}

/** `{ decision }` or `{ error }` for case `c`. */
function run(c) {
  const given = inputs(c)
  const limits = c.limits
  try {
    let policy
    if (Object.values(given.policy).some(hasBytes)) {
      const files = Object.entries(given.policy).map(([name, spec]) => {
        fs.writeFileSync(path.join(dir, name), content(spec, false))
        return path.join(dir, name)
      })
      policy = cg.Policy.fromPath(files, limits)
    } else {
      policy = cg.Policy.fromSources(Object.fromEntries(Object.entries(given.policy).map(([n, s]) => [n, content(s)])), limits)
    }
    let graph
    if (hasBytes(given.graph)) {
      fs.writeFileSync(path.join(dir, 'graph.json'), content(given.graph, false))
      graph = cg.Graph.fromFile(path.join(dir, 'graph.json'), limits)
    } else {
      graph = cg.Graph.fromJson(content(given.graph), limits)
    }
    return { decision: JSON.parse(policy.evaluateJson(content(given.change), graph)) }
  } catch (err) {
    return { error: body(err) }
  }
}

for (const c of manifest.cases) {
  test(c.name, () => {
    const started = performance.now()
    const got = run(c)
    const took = (performance.now() - started) / 1000
    check(expectFor(c, 'node'), got)
    assert.ok(took < manifest.time_limit_seconds, `took ${took.toFixed(1)} s`)
    check(base.expect, run(base))
  })
}

test('a panic is an `internal` error, and the process lives on', async () => {
  assert.throws(() => cg.__panicForTests(), (err) => err.kind === 'internal' && /internal error/.test(err.message))
  // On a libuv worker thread (as `evaluateAsync` computes) it rejects the promise.
  await assert.rejects(cg.__panicForTestsAsync(), (err) => err.kind === 'internal')
  check(base.expect, run(base))
})
