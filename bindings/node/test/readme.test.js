'use strict'
// The README's examples run as written: each ```js block is saved as an ES
// module next to a node_modules/changegate link to this package and run from
// the repository root.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { ROOT } = require('./helpers')

const PKG = path.resolve(__dirname, '..')
const blocks = [...fs.readFileSync(path.join(PKG, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])

function runModule(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changegate-readme-'))
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'))
    fs.symlinkSync(PKG, path.join(dir, 'node_modules', 'changegate'), 'dir')
    fs.writeFileSync(path.join(dir, 'example.mjs'), source)
    return spawnSync(process.execPath, [path.join(dir, 'example.mjs')], { cwd: ROOT, encoding: 'utf8' })
  } finally {
    fs.rmSync(dir, { recursive: true })
  }
}

test('the README has its examples', () => {
  assert.equal(blocks.length, 4)
  assert.ok(blocks[0].trim().split('\n').length <= 10, 'the main example is at most 10 lines')
})

test('the main example prints the demo decision and the CLI JSON', () => {
  const run = runModule(blocks[0])
  assert.equal(run.status, 0, run.stderr)
  const [first, second, ...json] = run.stdout.split('\n')
  assert.match(first, /^pending - waiting for: cab, dba, /)
  assert.equal(second, '10 nodes in the blast radius')
  const decision = JSON.parse(json.join('\n'))
  assert.equal(decision.outcome, 'pending')
  assert.ok(run.stdout.endsWith('}\n'))
})

test('the error example reports the diagnostic', () => {
  const run = runModule(`import { Policy } from "changegate";\n${blocks.find((b) => b.includes("freez"))}`)
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /^a\.gate:1:22: unknown window `freez`\n$/)
})

test('the import example prints what its comment says', () => {
  const source = blocks.find((b) => b.includes('importFiles'))
  const run = runModule(source)
  assert.equal(run.status, 0, run.stderr)
  assert.ok(source.includes(`// ${run.stdout.trim()}`), run.stdout)
})

test('the tooling example prints what its comments say', () => {
  const source = blocks.find((b) => b.includes('runTests'))
  const run = runModule(source)
  assert.equal(run.status, 0, run.stderr)
  const said = source.split('\n').filter((l) => l.startsWith('// ')).map((l) => l.slice(3))
  assert.deepEqual(run.stdout.trim().split('\n'), said)
})
