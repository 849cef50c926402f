'use strict';
// language-configuration.json: VS Code compiles its patterns as JavaScript
// regular expressions; they must compile and indent as a policy is written.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'));
const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
const word = new RegExp(`^(?:${config.wordPattern})$`);

test('comments are `#` lines and the brackets are the language\'s', () => {
  assert.deepEqual(config.comments, { lineComment: '#' });
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const pairs = config.autoClosingPairs.map((p) => p.open + p.close);
  assert.deepEqual(pairs, ['{}', '[]', '()', '""']);
});

test('a line that opens a rule, a list or parentheses indents the next', () => {
  for (const line of ['rule freeze {', '  when any(', '  when change.type in [', 'rule r {   # the freeze', 'rule "{" {']) {
    assert.ok(increase.test(line), line);
  }
  for (const line of ['rule r { deny "x" }', '  deny "a {"', '  when any(targets, node.tier == 0)', '# rule r {', '  because "(" # {']) {
    assert.ok(!increase.test(line), line);
  }
});

test('a line that starts by closing one is outdented', () => {
  for (const line of ['}', '  }', '  )', '  ] and x']) assert.ok(decrease.test(line), line);
  for (const line of ['  deny "}"', 'rule r {']) assert.ok(!decrease.test(line), line);
});

test('a word is a name, a field with dashes, a number, a duration or a datetime', () => {
  for (const w of ['tier0_needs_cab', 'cost-center', '-1', '2h30m', '2026-12-20T00:00', '2026-12-20T00:00:30+02:00']) {
    assert.ok(word.test(w), w);
  }
  for (const w of ['a.b', '"cab"', 'a b']) assert.ok(!word.test(w), w);
});
