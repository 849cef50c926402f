// The grammar knows exactly the parser's words: the reserved words of
// core/src/parse/grammar.pest (its `keyword` rule) and every word token of
// its other rules. A keyword added to the parser fails here until the
// grammar gives it a scope, and the grammar highlights no word the parser
// does not reserve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './corpus.mjs';
import { tokenize } from './tokenize.mjs';
import { KEYWORDS, RESERVED, grammarJson } from '../grammar.mjs';

const PARSE = join(REPO, 'core/src/parse');

/** The rules of the .pest files: name -> body, comments removed. */
function pestRules() {
  const rules = new Map();
  for (const file of readdirSync(PARSE).filter((f) => f.endsWith('.pest')).sort()) {
    const text = readFileSync(join(PARSE, file), 'utf8')
      .split('\n')
      .map((l) => l.replace(/^\s*\/\/.*$/, ''))
      .join('\n');
    // `name = _{ ... }`, `@{`, `${`, `!{` or `{`, up to the brace that closes it.
    const head = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*[_@$!]?\{/g;
    let m;
    while ((m = head.exec(text))) {
      let depth = 1;
      let i = head.lastIndex;
      let quoted = false;
      for (; i < text.length && depth > 0; i++) {
        const c = text[i];
        if (quoted) {
          if (c === '\\') i++;
          else if (c === '"' || c === "'") quoted = false;
        } else if (c === '"' || c === "'") quoted = true;
        else if (c === '{') depth++;
        else if (c === '}') depth--;
      }
      rules.set(m[1], text.slice(head.lastIndex, i - 1));
      head.lastIndex = i;
    }
  }
  return rules;
}

/** Splits at `|` outside parentheses and quotes. */
function alternatives(body) {
  const out = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(body.slice(start).trim());
  return out;
}

/**
 * The words of the `keyword` rule: `( "a" ~ ("pproval" | "nd") | "else" | … ) ~ !ident_char`,
 * alternatives that are a word or a first letter followed by the rest of
 * several words.
 */
function reservedWords(body) {
  const m = /^\s*\(([\s\S]*)\)\s*~\s*!ident_char\s*$/.exec(body);
  assert.ok(m, `the \`keyword\` rule has a form this test does not read: ${body}`);
  const words = [];
  for (const alt of alternatives(m[1])) {
    let w;
    if ((w = /^"([a-z]+)"$/.exec(alt))) {
      words.push(w[1]);
    } else if ((w = /^"([a-z]+)"\s*~\s*\(([^()]*)\)$/.exec(alt))) {
      for (const rest of alternatives(w[2])) {
        const r = /^"([a-z]+)"$/.exec(rest);
        assert.ok(r, `the \`keyword\` rule has an alternative this test does not read: ${alt}`);
        words.push(w[1] + r[1]);
      }
    } else {
      assert.fail(`the \`keyword\` rule has an alternative this test does not read: ${alt}`);
    }
  }
  return words;
}

/** The word tokens of the other rules: quoted words of two letters or more in rules that end a word (`~ !ident_char`). */
function wordTokens(rules) {
  const words = new Map();
  for (const [name, body] of rules) {
    if (name === 'keyword' || !/~\s*!ident_char\s*$/.test(body)) continue;
    for (const m of body.matchAll(/"([A-Za-z]{2,})"/g)) {
      if (!words.has(m[1])) words.set(m[1], name);
    }
  }
  return words;
}

const rules = pestRules();

test('the parser grammar is read: its keyword rule and its word tokens', () => {
  assert.ok(rules.has('keyword'), 'no `keyword` rule in core/src/parse/*.pest');
  const reserved = reservedWords(rules.get('keyword'));
  assert.equal(new Set(reserved).size, reserved.length, 'a word twice in the keyword rule');
  assert.ok(reserved.includes('window') && reserved.includes('dependencies'), `read ${reserved.join(' ')}`);
  // Every word token of the parser is reserved (a name cannot be one).
  const missing = [...wordTokens(rules)].filter(([w]) => !reserved.includes(w));
  assert.deepEqual(missing, [], 'word tokens of the parser that its keyword rule does not reserve');
});

test("the grammar's keywords are the parser's", () => {
  const parser = [...new Set([...reservedWords(rules.get('keyword')), ...wordTokens(rules).keys()])].sort();
  assert.deepEqual(RESERVED, parser, 'grammar.mjs KEYWORDS against the words of core/src/parse/*.pest');
  assert.equal(new Set(RESERVED).size, RESERVED.length, 'a word in two scopes of KEYWORDS');
});

test('each keyword is highlighted with its scope, and a name that starts with one is a name', async () => {
  for (const [scope, words] of Object.entries(KEYWORDS)) {
    for (const word of words) {
      const [token] = await tokenize(word);
      assert.equal(token.text, word);
      assert.deepEqual(token.scopes, [scope], `\`${word}\` alone`);
      // `change_freeze` is a name (*Files, comments and names*).
      const [name] = await tokenize(`${word}_x`);
      assert.equal(name.text, `${word}_x`);
      assert.deepEqual(name.scopes, ['variable.other.set.changegate'], `\`${word}_x\``);
    }
  }
});

test('a keyword where a name is defined or a window is named is marked invalid', async () => {
  for (const word of RESERVED) {
    for (const [line, at] of [[`let ${word} = targets`, 4], [`rule ${word} {`, 5], [`window ${word} = cron "* * * * *" for 1h`, 7]]) {
      const token = (await tokenize(line)).find((t) => t.column === at + 1);
      assert.equal(token?.text, word, line);
      assert.deepEqual(token.scopes, ['invalid.illegal.reserved-name.changegate'], line);
    }
    const token = (await tokenize(`deny during ${word}`)).find((t) => t.column === 13);
    assert.equal(token?.text, word);
    assert.ok(!token.scopes.includes('variable.other.window.changegate'), `\`deny during ${word}\`: ${token.scopes}`);
  }
});

test('the committed changegate.tmLanguage.json is what build.mjs writes', () => {
  const committed = readFileSync(new URL('../changegate.tmLanguage.json', import.meta.url), 'utf8');
  assert.ok(committed === grammarJson(), 'changegate.tmLanguage.json is stale: run `node editors/textmate/build.mjs`');
});
