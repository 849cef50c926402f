'use strict'
// The hostile-input list (cases.json, see README.md) for the JavaScript
// harnesses: bindings/node/test/hostile.test.js and
// bindings/wasm/tests/node/hostile.test.mjs. Reads the cases, generates their
// inputs (once each per process) and checks an outcome against a case's
// expectation, with the body of core's error JSON as the common error shape.
const fs = require('node:fs')
const path = require('node:path')

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'cases.json'), 'utf8'))
const cache = new Map()

function parts(spec, env, asText, out) {
  if (typeof spec === 'string') return out.push(asText ? spec : Buffer.from(spec, 'utf8'))
  if ('json' in spec) {
    const text = JSON.stringify(spec.json)
    return out.push(asText ? text : Buffer.from(text, 'utf8'))
  }
  if ('concat' in spec) {
    for (const p of spec.concat) parts(p, env, asText, out)
    return
  }
  if ('repeat' in spec) {
    const { repeat: body, times } = spec
    const sep = spec.sep ?? ''
    if (typeof body === 'string') {
      const text = Array(times).fill(body).join(sep)
      return out.push(asText ? text : Buffer.from(text, 'utf8'))
    }
    const v = spec.var ?? 'i'
    for (let i = 0; i < times; i++) {
      if (i && sep) out.push(asText ? sep : Buffer.from(sep, 'utf8'))
      parts(body, { ...env, [v]: i }, asText, out)
    }
    return
  }
  if ('var' in spec) {
    const n = String(env[spec.var] + (spec.add ?? 0))
    return out.push(asText ? n : Buffer.from(n))
  }
  if ('bytes' in spec) {
    const raw = Buffer.from(spec.bytes)
    // As text, decoded with U+FFFD replacement, as TextDecoder does.
    return out.push(asText ? raw.toString('utf8') : raw)
  }
  if ('utf16' in spec) {
    if (asText) return out.push(String.fromCharCode(...spec.utf16))
    // Generalised UTF-8 of each code unit: a surrogate is three bytes UTF-8 forbids.
    return out.push(Buffer.from(spec.utf16.flatMap((u) => [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)])))
  }
  throw new Error(`not a content: ${JSON.stringify(spec)}`)
}

/** A content as a string (bytes parts decoded with U+FFFD) or as a Buffer; generated once. */
function content(spec, asText = true) {
  const key = `${asText ? 'text' : 'bytes'}:${JSON.stringify(spec)}`
  if (!cache.has(key)) {
    const out = []
    parts(spec, {}, asText, out)
    cache.set(key, asText ? out.join('') : Buffer.concat(out))
  }
  return cache.get(key)
}

/** Whether a content holds raw bytes (so only a file API can carry it). */
function hasBytes(spec) {
  if (Array.isArray(spec)) return spec.some(hasBytes)
  if (spec && typeof spec === 'object') return 'bytes' in spec || Object.values(spec).some(hasBytes)
  return false
}

/** A case's inputs, with what it leaves out taken from the base. */
function inputs(c) {
  const base = manifest.base
  return { policy: c.policy ?? base.policy, graph: c.graph ?? base.graph, change: c.change ?? base.change }
}

/** What `frontEnd` must give for case `c`. */
function expectFor(c, frontEnd) {
  return c.expect_for?.[frontEnd] ?? c.expect
}

const base = { name: 'base', expect: manifest.base.expect }

/**
 * Checks `got` (`{ decision }` or `{ error }`, the body of core's error JSON)
 * against an expectation; throws an Error saying what differs.
 */
function check(expect, got) {
  const fail = (why) => {
    const shown = JSON.stringify(got.error ?? { outcome: got.decision?.outcome }).slice(0, 300)
    throw new Error(`${why}: ${shown}`)
  }
  const want = expect.error
  if (!want) {
    if (!got.decision) fail('an error instead of a decision')
    const d = got.decision
    if (d.outcome !== expect.outcome) fail(`outcome ${d.outcome} instead of ${expect.outcome}`)
    if ('impacted' in expect && d.impact.impacted.length !== expect.impacted) fail(`${d.impact.impacted.length} impacted instead of ${expect.impacted}`)
    if ('fired' in expect && d.fired.length !== expect.fired) fail(`${d.fired.length} fired instead of ${expect.fired}`)
    return
  }
  if (!got.error) fail('a decision instead of an error')
  const e = got.error
  if (e.kind !== want.kind) fail(`kind ${e.kind} instead of ${want.kind}`)
  let message = e.message
  if (want.kind === 'policy') {
    const d = e.diagnostics?.[0]
    if (!d) fail('no diagnostics')
    for (const f of ['file', 'line', 'column']) if (d[f] !== want.diagnostic[f]) fail(`first diagnostic's ${f} is ${d[f]} instead of ${want.diagnostic[f]}`)
    message = d.message
  } else if (want.kind === 'input') {
    if (e.document !== want.document) fail(`document ${e.document} instead of ${want.document}`)
    const p = typeof want.path === 'string' ? want.path : content(want.path)
    if (e.path !== p) fail(`path ${JSON.stringify(e.path).slice(0, 60)} instead of ${JSON.stringify(p).slice(0, 60)}`)
  } else if (want.kind === 'io') {
    if (!(e.path === want.file || String(e.path).endsWith(`/${want.file}`))) fail(`path ${e.path} instead of one ending in ${want.file}`)
  }
  if (want.message_contains && !String(message).includes(want.message_contains)) fail(`the message does not contain ${JSON.stringify(want.message_contains)}`)
  if (want.message_has_line_column && !/line \d+ column \d+/.test(message)) fail('the message has no `line N column M`')
}

module.exports = { manifest, content, hasBytes, inputs, expectFor, check, base }
