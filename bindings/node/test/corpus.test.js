'use strict'
// Every corpus case through the addon: `evaluateJson` must equal expected.json
// byte for byte, a failing case must throw an error whose fields are those of
// expected.json's error object; `evaluate`, `evaluateAsync` and
// `Policy.fromSources` must agree with it.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Policy, Graph } = require('..')
const { corpusCases, inDir, loadSources, expectedErrorFields, errorFields } = require('./helpers')

const cases = corpusCases()

test('the corpus has cases in both roots', () => {
  assert.ok(cases.some((c) => c.name.startsWith('core/tests/corpus/')))
  assert.ok(cases.some((c) => c.name.startsWith('policies/examples/')))
  assert.ok(cases.length >= 200, `only ${cases.length} cases`)
})

/** Runs `fn`; returns `{ value }` or `{ error }`. */
function attempt(fn) {
  try {
    return { value: fn() }
  } catch (error) {
    return { error }
  }
}

function assertSameError(error, expected, how) {
  assert.ok(expected.error, `${how}: unexpected error ${error && error.stack}`)
  assert.ok(error instanceof Error, `${how}: not an Error: ${error}`)
  assert.deepEqual(errorFields(error), expectedErrorFields(expected.error), how)
}

for (const c of cases) {
  test(c.name, async () => {
    const expected = JSON.parse(c.expected)

    // The files, as the CLI reads them, with the working directory in the case folder.
    const viaPaths = inDir(c.dir, () =>
      attempt(() => {
        const policy = Policy.fromPath(c.policy)
        const graph = c.loadGraph()
        return { policy, graph, json: policy.evaluateJson(c.change, graph) }
      }),
    )
    if (viaPaths.error) {
      assertSameError(viaPaths.error, expected, 'fromPath/fromFile/evaluateJson')
    } else {
      assert.equal(viaPaths.value.json, c.expected, 'evaluateJson differs from expected.json')
    }

    // The same sources given as text, and the change as an object.
    let parsedChange
    try {
      parsedChange = JSON.parse(c.change)
    } catch {
      return // not JSON at all: only evaluateJson can be given it
    }
    // A repeated key is lost in an object (JSON.parse keeps the last): only
    // evaluateJson can be given it.
    if (expected.error && expected.error.message.startsWith('duplicate key')) return
    const sources = loadSources(c)
    const viaSources = attempt(() => Policy.fromSources(sources))
    if (viaSources.error) {
      assertSameError(viaSources.error, expected, 'fromSources')
      return
    }
    const policy = viaSources.value
    if (viaPaths.value) assert.equal(policy.digest, viaPaths.value.policy.digest)
    const graph = viaPaths.value ? viaPaths.value.graph : inDir(c.dir, () => attempt(() => c.loadGraph())).value
    if (!graph) return // the graph is what fails: checked above

    const sync = attempt(() => policy.evaluate(parsedChange, graph))
    if (sync.error) assertSameError(sync.error, expected, 'evaluate')
    else {
      assert.deepEqual(sync.value.toJSON(), expected, 'evaluate differs from expected.json')
      // toJSON gives the decision JSON's object: stringified as the CLI
      // indents, the same bytes.
      assert.equal(JSON.stringify(sync.value, null, 2) + '\n', c.expected, 'JSON.stringify(evaluate) differs')
    }

    let async
    try {
      async = { value: await policy.evaluateAsync(parsedChange, graph) }
    } catch (error) {
      async = { error }
    }
    if (async.error) assertSameError(async.error, expected, 'evaluateAsync')
    else assert.deepEqual(async.value.toJSON(), expected, 'evaluateAsync differs from expected.json')
  })
}

// The same bytes as the CLI itself prints, when it is built (make test builds
// it before the Node suite: `cargo build --release -p changegate-cli`).
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { ROOT } = require('./helpers')

const CLI = path.join(ROOT, 'target', 'release', process.platform === 'win32' ? 'changegate.exe' : 'changegate')

test('evaluateJson equals `changegate check --format json` on every corpus case', { skip: !fs.existsSync(CLI) && 'the CLI is not built' }, () => {
  let compared = 0
  // Cases read from other tools' records run through the CLI's --graph-from
  // and the like in bindings/cli/tests/cli.rs.
  for (const c of cases.filter((k) => !k.imports)) {
    const args = ['check', '--policy', ...c.policy, '--graph', c.graph, '--change', 'change.json', '--format', 'json']
    const cli = spawnSync(CLI, args, { cwd: c.dir, encoding: 'utf8' })
    const ours = inDir(c.dir, () =>
      attempt(() => Policy.fromPath(c.policy).evaluateJson(c.change, c.loadGraph())),
    )
    if (ours.error) {
      assert.equal(cli.status, 1, `${c.name}: the addon throws ${ours.error.kind}, the CLI exits ${cli.status}`)
    } else {
      const exit = { approved: 0, pending: 2, denied: 3 }[JSON.parse(ours.value).outcome]
      assert.equal(cli.status, exit, `${c.name}: CLI exit ${cli.status}: ${cli.stderr}`)
      assert.equal(ours.value, cli.stdout, c.name)
      compared++
    }
  }
  assert.ok(compared > 150, `${compared} decisions compared`)
})
