// Golden token snapshots: a few representative policies, tokenized, one line
// per token (`line:column`, the text, its scopes). A change of the grammar
// that changes how they are highlighted shows up as a diff of these files;
// `CHANGEGATE_BLESS=1` rewrites them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './corpus.mjs';
import { tokenize, render } from './tokenize.mjs';

const SNAPSHOTS = new URL('./snapshots/', import.meta.url);
const BLESS = process.env.CHANGEGATE_BLESS === '1';

/** The policies and their snapshot files, the policies relative to the repository. */
const CASES = [
  // Every kind of token, written for this test.
  ['editors/textmate/test/samples/everything.gate', 'everything.tokens'],
  // The worked example of docs/testing.md: a plain, typical policy.
  ['docs/examples/testing/change-control.gate', 'change-control.tokens'],
  // Lexical mistakes: what the grammar marks invalid.
  ['editors/textmate/test/samples/edges.gate', 'edges.tokens'],
  // Unformatted on purpose (a rule on one line, a comment after code).
  ['bindings/cli/tests/fixtures/fmt/messy.gate', 'messy.tokens'],
];

for (const [policy, snapshot] of CASES) {
  test(`the tokens of ${policy} are those of snapshots/${snapshot}`, async () => {
    const actual = render(await tokenize(readFileSync(join(REPO, policy), 'utf8')));
    const file = new URL(snapshot, SNAPSHOTS);
    if (BLESS) {
      writeFileSync(file, actual);
      return;
    }
    assert.ok(existsSync(file), `no snapshots/${snapshot}: run the tests with CHANGEGATE_BLESS=1 to write it`);
    assert.equal(actual, readFileSync(file, 'utf8'), `the tokens of ${policy} changed: if that is meant, rerun with CHANGEGATE_BLESS=1 and review the diff`);
  });
}
