'use strict'
// The generated index.d.ts against real data: every decision the corpus
// produces `satisfies Decision` (no missing and no extra key, every union
// member allowed), every valid change `satisfies Change`, every thrown error
// `satisfies ChangegateError`; then the typed example. Checked with tsc.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { Policy, Graph } = require('..')
const { corpusCases, inDir } = require('./helpers')

const PKG = path.resolve(__dirname, '..')
const TSC = path.join(PKG, 'node_modules', 'typescript', 'bin', 'tsc')

function tsc(project) {
  const run = spawnSync(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: PKG, encoding: 'utf8' })
  assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`)
}

test('corpus decisions, changes and errors type-check against index.d.ts', () => {
  const lines = ["import type { Change, ChangegateError, Decision } from 'changegate'", '']
  let decisions = 0
  let errors = 0
  corpusCases().forEach((c, i) => {
    let change
    try {
      change = JSON.parse(c.change)
    } catch {
      return
    }
    inDir(c.dir, () => {
      try {
        const decision = Policy.fromPath(c.policy).evaluate(change, c.loadGraph())
        lines.push(`// ${c.name}`)
        lines.push(`export const decision${i} = ${JSON.stringify(decision)} satisfies Decision`)
        lines.push(`export const change${i} = ${JSON.stringify(change)} satisfies Change`)
        decisions++
      } catch (err) {
        const fields = { name: err.name, message: err.message, ...err }
        lines.push(`// ${c.name}`)
        lines.push(`export const error${i} = ${JSON.stringify(fields)} satisfies ChangegateError`)
        errors++
      }
    })
  })
  assert.ok(decisions > 150 && errors > 20, `${decisions} decisions, ${errors} errors`)
  const dir = path.join(__dirname, '.generated')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'corpus.ts'), lines.join('\n') + '\n')
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: [] },
      files: ['corpus.ts'],
    }),
  )
  tsc(path.join(dir, 'tsconfig.json'))
})

test('the typed example type-checks, and its @ts-expect-error lines are errors', () => {
  tsc(path.join(PKG, 'tsconfig.json'))
})
