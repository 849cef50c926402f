// The grammar on every policy text of the repository: each character that is
// not a blank gets a scope below `source.changegate` (no token is left
// unclassified), and no token of a policy that compiles, or at least is not
// broken on purpose (broken.json), is marked invalid.illegal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tokenize, isBlank } from './tokenize.mjs';
import { gateFiles, markdownPolicies, hostilePolicies } from './corpus.mjs';

const broken = JSON.parse(readFileSync(new URL('./broken.json', import.meta.url), 'utf8'));

const place = (t) => `${t.line}:${t.column} ${JSON.stringify(t.text.slice(0, 40))}`;

/** The tokens of a text that leave a character unclassified. */
function unclassified(tokens) {
  return tokens.filter((t) => t.scopes.length === 0 && [...t.text].some((c) => !isBlank(c)));
}

function invalid(tokens) {
  return tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
}

/** Checks one text; `mayBeBroken` allows invalid tokens, and returns whether there were any. */
async function check(name, text, mayBeBroken, lineTimeLimitMs = 0) {
  const tokens = await tokenize(text, { lineTimeLimitMs });
  // The tokens cover the text: nothing is lost or doubled.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const joined = lines.map(() => '');
  for (const t of tokens) joined[t.line - 1] += t.text;
  for (let i = 0; i < lines.length; i++) {
    if (joined[i] !== lines[i]) assert.equal(joined[i], lines[i], `${name}:${i + 1}: the tokens do not add up to the line`);
  }
  const loose = unclassified(tokens);
  assert.deepEqual(loose.map(place), [], `${name}: characters without a scope below source.changegate`);
  const bad = invalid(tokens);
  if (!mayBeBroken) {
    assert.deepEqual(bad.map(place), [], `${name}: tokens marked invalid in a policy that is not broken on purpose (list it in broken.json if it is)`);
  }
  return bad.length > 0;
}

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

test('the hostile policies are classified, in time linear in their size', async () => {
  const { policies, seconds } = hostilePolicies();
  assert.ok(policies.length > 30, `found ${policies.length} hostile policies`);
  for (const p of policies) {
    // The list's limit, and 10 s per MiB for the texts of several MiB
    // (vscode-textmate manages about 2 s per MiB): a pattern that is tried
    // at every character of a megabyte line would take hours.
    const budget = Math.max(seconds, (10 * p.text.length) / 2 ** 20);
    const started = performance.now();
    await check(p.name, p.text, true, budget * 1000);
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(elapsed < budget, `${p.name}: ${elapsed.toFixed(1)} s to tokenize ${p.text.length} characters (budget ${budget.toFixed(1)} s)`);
  }
});
