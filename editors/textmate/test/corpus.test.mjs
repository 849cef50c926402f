// The grammar on every policy text of the repository: each character that is
// not a blank gets a scope below `source.changegate` (no token is left
// unclassified), and no token of a policy that compiles, or at least is not
// broken on purpose (broken.json), is marked invalid.illegal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { check } from './check.mjs';
import { gateFiles, markdownPolicies, hostilePolicies, budget } from './corpus.mjs';

const broken = JSON.parse(readFileSync(new URL('./broken.json', import.meta.url), 'utf8'));

test('every .gate file of the repository is classified, and only those broken on purpose have invalid tokens', async () => {
  const files = gateFiles();
  assert.ok(files.length > 200, `git ls-files found ${files.length} .gate files`);
  const listed = new Map(broken.files.map((b) => [b.name, b]));
  for (const f of files) {
    const isBroken = await check(f.name, f.text, listed.has(f.name));
    if (listed.has(f.name)) {
      assert.ok(isBroken, `${f.name} is listed in broken.json but the grammar finds nothing invalid in it: remove it from the list`);
      listed.delete(f.name);
    }
  }
  assert.deepEqual([...listed.keys()], [], 'broken.json lists files that are not tracked .gate files');
});

test('every policy shown in the Markdown pages is classified, and only those broken on purpose have invalid tokens', async () => {
  const blocks = markdownPolicies();
  assert.ok(blocks.length > 15, `found ${blocks.length} policy blocks in the Markdown pages`);
  const listed = new Map(broken.blocks.map((b) => [`${b.page}\n${b.first}`, b]));
  for (const b of blocks) {
    const key = `${b.page}\n${b.first}`;
    const isBroken = await check(b.name, b.text, listed.has(key));
    if (listed.has(key)) {
      assert.ok(isBroken, `${b.name} is listed in broken.json but the grammar finds nothing invalid in it: remove it from the list`);
      listed.delete(key);
    }
  }
  assert.deepEqual([...listed.keys()], [], 'broken.json lists blocks that no page has');
});

test('the hostile policies are classified, in time linear in their size', () => {
  // In a child process with a deadline: a pattern that backtracks over a
  // megabyte line blocks inside one regular-expression search, which no
  // time limit in this process could interrupt.
  const { policies, seconds } = hostilePolicies();
  assert.ok(policies.length > 30, `found ${policies.length} hostile policies`);
  // The whole list at 10 s per MiB, and at least three times one case's limit.
  const size = policies.reduce((sum, p) => sum + p.text.length, 0);
  const deadline = Math.max(3 * seconds, budget('', 0) + (10 * size) / 2 ** 20);
  let output = '';
  try {
    output = execFileSync(process.execPath, [fileURLToPath(new URL('./hostile.mjs', import.meta.url))], {
      encoding: 'utf8',
      timeout: Math.ceil(deadline * 1000),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Not as a test file of this run: a plain script.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')),
    });
  } catch (error) {
    const last = `${error.stdout ?? ''}`.trim().split('\n').pop();
    assert.fail(error.signal
      ? `tokenizing the hostile policies took more than ${deadline.toFixed(0)} s; the last line: ${last}`
      : `${error.stderr || error.message}`);
  }
  assert.equal(output.trim().split('\n').filter((l) => l.startsWith('ok ')).length, policies.length, output);
});
