'use strict'
// The hostile-input list (cases.json, see README.md) for the JavaScript
// harnesses: bindings/node/test/hostile.test.js and
// bindings/wasm/tests/node/hostile.test.mjs. It reads the list as
// changegate-testkit expands it into target/hostile/ (`make test-node` and
// `make test-wasm` run `cargo run -p changegate-testkit -- hostile
// target/hostile` first) and checks an outcome against a case's expectation,
// with the body of core's error JSON as the common error shape.
const fs = require('node:fs')
const path = require('node:path')

const DIR = path.resolve(__dirname, '..', '..', '..', 'target', 'hostile')
const MANIFEST = path.join(DIR, 'manifest.json')
if (!fs.existsSync(MANIFEST)) {
  throw new Error(`${MANIFEST} is missing: run \`cargo run -p changegate-testkit -- hostile target/hostile\` first`)
}
const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'))

/** The absolute path of a document's file (its exact bytes). */
function file(doc) {
  return path.join(DIR, doc.file)
}

/** A document as a string: its `text` if it has one, else its file read as UTF-8. */
function text(doc) {
  return doc.text ?? fs.readFileSync(file(doc), 'utf8')
}

const base = manifest.base

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
    if (e.path !== want.path) fail(`path ${JSON.stringify(e.path).slice(0, 60)} instead of ${JSON.stringify(want.path).slice(0, 60)}`)
  } else if (want.kind === 'io') {
    if (!(e.path === want.file || String(e.path).endsWith(`/${want.file}`))) fail(`path ${e.path} instead of one ending in ${want.file}`)
  }
  if (want.message_contains && !String(message).includes(want.message_contains)) fail(`the message does not contain ${JSON.stringify(want.message_contains)}`)
  if (want.message_has_line_column && !/line \d+ column \d+/.test(message)) fail('the message has no `line N column M`')
}

module.exports = { manifest, file, text, check, base }
