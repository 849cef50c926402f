// Checks one policy text against the grammar (used by corpus.test.mjs and
// hostile.mjs).
import assert from 'node:assert/strict';
import { tokenize, isBlank } from './tokenize.mjs';

const place = (t) => `${t.line}:${t.column} ${JSON.stringify(t.text.slice(0, 40))}`;

/** The tokens of a text that leave a character unclassified. */
function unclassified(tokens) {
  return tokens.filter((t) => t.scopes.length === 0 && [...t.text].some((c) => !isBlank(c)));
}

function invalid(tokens) {
  return tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));
}

/** Checks one text; `mayBeBroken` allows invalid tokens, and returns whether there were any. */
export async function check(name, text, mayBeBroken, lineTimeLimitMs = 0) {
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

