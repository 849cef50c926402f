'use strict'
// The hostile-input list (core/tests/hostile/cases.json, as
// changegate-testkit expands it into target/hostile/) through the Node addon:
// each case throws the documented error (its code and its place: the JSON
// path, the diagnostic's file, line and column, or the unreadable file) or
// gives the documented decision, within the time limit, and the base change
// still evaluates after it. Policies and graphs that are not UTF-8 are read
// from their files (`Policy.fromPath`, `Graph.fromFile`); every other
// input is a string (a change made of bytes is decoded with U+FFFD, and a
// lone surrogate reaches the engine as U+FFFD, as Node converts strings).
// Cases that lower `Limits` pass them to every load. Last, forced panics
// (test-only exports) become `internal` errors, not an abort.
const test = require('node:test')
const assert = require('node:assert/strict')
const cg = require('..')
const { manifest, file, text, check, base } = require('../../../core/tests/hostile/hostile.js')

/** A thrown addon error: a ChangegateError has the fields of core's error report. */
function body(err) {
  assert.ok(err instanceof cg.ChangegateError, `not a ChangegateError: ${err && err.stack}`)
  return err
}

/** `{ decision }` or `{ error }` for case `c`. */
function run(c) {
  const limits = c.limits ?? undefined
  try {
    const policy = c.policy.some((d) => d.raw)
      ? cg.Policy.fromPath(c.policy.map(file), limits)
      : cg.Policy.fromSources(Object.fromEntries(c.policy.map((d) => [d.name, text(d)])), limits)
    const graph = c.graph.raw ? cg.Graph.fromFile(file(c.graph), limits) : cg.Graph.fromJson(text(c.graph), limits)
    return { decision: JSON.parse(policy.evaluateJson(text(c.change), graph)) }
  } catch (err) {
    return { error: body(err) }
  }
}

for (const c of manifest.cases) {
  test(c.name, () => {
    const started = performance.now()
    const got = run(c)
    const took = (performance.now() - started) / 1000
    check(c.expect.node, got)
    assert.ok(took < manifest.time_limit_seconds, `took ${took.toFixed(1)} s`)
    check(base.expect.node, run(base))
  })
}

test('a panic is an `internal` error, and the process lives on', async () => {
  assert.throws(() => cg.__panicForTests(), (err) => err.kind === 'internal' && /internal error/.test(err.message))
  // On a libuv worker thread (as `evaluateAsync` computes) it rejects the promise.
  await assert.rejects(cg.__panicForTestsAsync(), (err) => err.kind === 'internal')
  check(base.expect.node, run(base))
})
