'use strict'
// Every adapter case of core/tests/import/manifest.json through the addon:
// `importTexts` (each file by the name the manifest gives it) and
// `importFiles` (the case's paths, from its folder) must both give
// expected.json, or throw the error of error.json.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { importTexts, importFiles, Graph, Policy } = require('..')
const { ROOT, inDir, expectedErrorFields, errorFields } = require('./helpers')

const cases = JSON.parse(fs.readFileSync(path.join(ROOT, 'core', 'tests', 'import', 'manifest.json'), 'utf8')).cases

for (const c of cases) {
  test(c.dir, () => {
    const dir = path.join(ROOT, c.dir)
    const expected = JSON.parse(fs.readFileSync(path.join(dir, c.expected), 'utf8'))
    const texts = Object.fromEntries(
      Object.entries(c.files).map(([role, names]) => [
        role,
        Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')])),
      ]),
    )
    const runs = {
      texts: () => importTexts(c.adapter, texts, c.options),
      files: () => inDir(dir, () => importFiles(c.adapter, c.paths, c.options)),
    }
    for (const [how, run] of Object.entries(runs)) {
      if (expected.error) {
        assert.throws(run, (e) => {
          assert.deepEqual(errorFields(e), expectedErrorFields(expected.error), how)
          return true
        })
      } else {
        assert.deepEqual(run(), expected, how)
      }
    }
  })
}

test('an imported catalog is a graph the engine decides on', () => {
  const dir = path.join(ROOT, 'core', 'tests', 'import', 'backstage', 'worked-example')
  const c = cases.find((k) => k.dir.endsWith('backstage/worked-example'))
  const imported = inDir(dir, () => importFiles('backstage', c.paths, c.options))
  const graph = Graph.fromJson(JSON.stringify(imported.document))
  assert.equal(graph.nodeCount, imported.document.nodes.length)
  const policy = Policy.fromSources({ 'p.gate': 'rule owners {\n  require approval owner of impacted\n}\n' })
  const target = imported.document.nodes[0].id
  const decision = policy.evaluate({ id: 'CHG1', type: 'normal', targets: [target], start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z' }, graph)
  assert.equal(decision.outcome, 'pending')
  assert.ok(decision.approvals.length > 0 && decision.approvals.every((a) => !a.satisfied))
})

test('an unknown adapter names the adapters', () => {
  assert.throws(() => importTexts('jira', {}), (e) => e.kind === 'input' && e.document === 'import' && /servicenow-change/.test(e.help))
})
